package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * One training batch as graph tensors: clean samples x0, paired noise ε (already re-ordered by the
 * objective's coupling), per-sample path coefficients at the sampled times, the per-sample weight
 * w(t) the objective asked for, the condition and a noise source for any extra randomness; and, for
 * an objective that {@linkplain Objective#pairsTimes() pairs times}, the path coefficients at each
 * example's earlier paired time (null otherwise).
 */
public record TrainingBatch(
    Tensor x0, Tensor eps, PathPoint point, Tensor weight, Condition condition, NoiseSource noise, PathPoint paired) {

  /** A batch with one time per example. */
  public TrainingBatch(Tensor x0, Tensor eps, PathPoint point, Tensor weight, Condition condition, NoiseSource noise) {
    this(x0, eps, point, weight, condition, noise, null);
  }

  /** x at the paired earlier time with the same x0 and ε: α' x0 + σ' ε (objectives that pair times). */
  public Tensor xPaired() {
    return x0.times(paired.alpha()).plus(eps.times(paired.sigma()));
  }

  /** The noised sample x_t = α x0 + σ ε. */
  public Tensor xt() {
    return x0.times(point.alpha()).plus(eps.times(point.sigma()));
  }
}
