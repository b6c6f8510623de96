package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * One training batch as graph tensors: clean samples x0, paired noise ε (already re-ordered by the
 * objective's coupling), per-sample path coefficients at the sampled times, the per-sample weight
 * w(t) the objective asked for, the condition and a noise source for any extra randomness.
 */
public record TrainingBatch(
    Tensor x0, Tensor eps, PathPoint point, Tensor weight, Condition condition, NoiseSource noise) {

  /** The noised sample x_t = α x0 + σ ε. */
  public Tensor xt() {
    return x0.times(point.alpha()).plus(eps.times(point.sigma()));
  }
}
