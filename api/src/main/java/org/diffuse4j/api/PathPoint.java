package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Tensor;

/**
 * The schedule's coefficients at a time, as tensors: scalars during sampling (one time for the
 * whole batch) or per-sample columns of shape [B, 1, …] during training. Parameterisations and
 * objectives are written once against this record.
 *
 * @param t the time, a scalar or a [B, 1] column
 * @param alpha the signal scale α(t), shaped like {@code t}
 * @param sigma the noise scale σ(t), shaped like {@code t}
 * @param alphaDot the derivative dα/dt, shaped like {@code t}
 * @param sigmaDot the derivative dσ/dt, shaped like {@code t}
 */
public record PathPoint(Tensor t, Tensor alpha, Tensor sigma, Tensor alphaDot, Tensor sigmaDot) {

  /**
   * Scalar coefficients of {@code schedule} at time {@code t}.
   *
   * @param schedule the schedule to evaluate
   * @param t time in [tMin, tMax], data at 0 and noise at 1
   * @param b the backend the scalar tensors are made on
   * @return the path point with scalar t, α, σ, α̇, σ̇
   */
  public static PathPoint at(Schedule schedule, double t, Backend b) {
    return new PathPoint(
        b.scalar(t),
        b.scalar(schedule.alpha(t)),
        b.scalar(schedule.sigma(t)),
        b.scalar(schedule.alphaDot(t)),
        b.scalar(schedule.sigmaDot(t)));
  }

  /**
   * Per-sample coefficients of {@code schedule}, one time per row, as columns of shape [B, 1] that
   * broadcast against x's rows: the path point of a training batch.
   *
   * @param schedule the schedule to evaluate
   * @param t one time per example, each in [tMin, tMax]; copied
   * @param b the backend the columns are made on
   * @return the path point with [B, 1] columns t, α, σ, α̇, σ̇, B = {@code t.length}
   */
  public static PathPoint columns(Schedule schedule, double[] t, Backend b) {
    int n = t.length;
    double[] a = new double[n];
    double[] s = new double[n];
    double[] ad = new double[n];
    double[] sd = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = schedule.alpha(t[i]);
      s[i] = schedule.sigma(t[i]);
      ad[i] = schedule.alphaDot(t[i]);
      sd[i] = schedule.sigmaDot(t[i]);
    }
    return new PathPoint(b.constant(t.clone(), n, 1), b.constant(a, n, 1), b.constant(s, n, 1), b.constant(ad, n, 1),
        b.constant(sd, n, 1));
  }

  /**
   * D = α σ̇ − σ α̇, positive whenever the signal-to-noise ratio decreases.
   *
   * @return D = α σ̇ − σ α̇, shaped like {@code t}
   */
  public Tensor d() {
    return alpha.times(sigmaDot).minus(sigma.times(alphaDot));
  }
}
