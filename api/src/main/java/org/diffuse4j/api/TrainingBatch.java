package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * One training batch as graph tensors: clean samples x0, paired noise ε (already re-ordered by the
 * objective's coupling), per-sample path coefficients at the sampled times, the per-sample weight
 * w(t) the objective asked for, the condition and a noise source for any extra randomness; and, for
 * an objective that {@linkplain Objective#pairsTimes() pairs times}, the path coefficients at each
 * example's earlier paired time (null otherwise); the optimiser step, for warm-ups and curricula
 * computed in the graph; and, for an objective with a teacher, the teacher's path coefficients at
 * each example's σ/α on the teacher's own schedule (null otherwise).
 *
 * @param x0 the clean samples, shape [B, …]
 * @param eps the noise paired with each row of {@code x0}, shape of {@code x0}
 * @param point the path coefficients at each example's time, [B, 1] columns
 * @param weight the per-example loss weight w(t), a [B, 1] column
 * @param condition the examples' condition (class labels or none)
 * @param noise the noise source for any extra randomness the objective draws
 * @param paired the path coefficients at each example's earlier paired time, [B, 1] columns, or null
 * @param step the optimiser step k (from 0) as a scalar, or null outside a trainer (tests, the kits)
 * @param teacherPoint the teacher schedule's path coefficients at the time with each example's σ/α
 *     (clamped to the teacher's [tMin, tMax]), [B, 1] columns, or null (no teacher, or outside a trainer)
 */
public record TrainingBatch(Tensor x0, Tensor eps, PathPoint point, Tensor weight, Condition condition, NoiseSource noise,
    PathPoint paired, Tensor step, PathPoint teacherPoint) {

  /**
   * A batch without the teacher's path coefficients.
   *
   * @param x0 the clean samples, shape [B, …]
   * @param eps the noise paired with each row of {@code x0}, shape of {@code x0}
   * @param point the path coefficients at each example's time, [B, 1] columns
   * @param weight the per-example loss weight w(t), a [B, 1] column
   * @param condition the examples' condition (class labels or none)
   * @param noise the noise source for any extra randomness the objective draws
   * @param paired the path coefficients at each example's earlier paired time, or null
   * @param step the optimiser step k (from 0) as a scalar, or null
   */
  public TrainingBatch(Tensor x0, Tensor eps, PathPoint point, Tensor weight, Condition condition, NoiseSource noise,
      PathPoint paired, Tensor step) {
    this(x0, eps, point, weight, condition, noise, paired, step, null);
  }

  /**
   * A batch without the optimiser step (outside a trainer).
   *
   * @param x0 the clean samples, shape [B, …]
   * @param eps the noise paired with each row of {@code x0}, shape of {@code x0}
   * @param point the path coefficients at each example's time, [B, 1] columns
   * @param weight the per-example loss weight w(t), a [B, 1] column
   * @param condition the examples' condition (class labels or none)
   * @param noise the noise source for any extra randomness the objective draws
   * @param paired the path coefficients at each example's earlier paired time, or null
   */
  public TrainingBatch(Tensor x0, Tensor eps, PathPoint point, Tensor weight, Condition condition, NoiseSource noise,
      PathPoint paired) {
    this(x0, eps, point, weight, condition, noise, paired, null, null);
  }

  /**
   * A batch with one time per example.
   *
   * @param x0 the clean samples, shape [B, …]
   * @param eps the noise paired with each row of {@code x0}, shape of {@code x0}
   * @param point the path coefficients at each example's time, [B, 1] columns
   * @param weight the per-example loss weight w(t), a [B, 1] column
   * @param condition the examples' condition (class labels or none)
   * @param noise the noise source for any extra randomness the objective draws
   */
  public TrainingBatch(Tensor x0, Tensor eps, PathPoint point, Tensor weight, Condition condition, NoiseSource noise) {
    this(x0, eps, point, weight, condition, noise, null, null, null);
  }

  /**
   * x at the paired earlier time with the same x0 and ε: α' x0 + σ' ε (objectives that pair times).
   *
   * @return α' x0 + σ' ε at the paired times, shape of {@code x0}; needs {@code paired} non-null
   */
  public Tensor xPaired() {
    return x0.times(paired.alpha()).plus(eps.times(paired.sigma()));
  }

  /**
   * The noised sample x_t = α x0 + σ ε.
   *
   * @return x_t = α x0 + σ ε at each example's time, shape of {@code x0}
   */
  public Tensor xt() {
    return x0.times(point.alpha()).plus(eps.times(point.sigma()));
  }
}
