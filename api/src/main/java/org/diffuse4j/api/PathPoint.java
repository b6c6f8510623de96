package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Tensor;

/**
 * The schedule's coefficients at a time, as tensors: scalars during sampling (one time for the
 * whole batch) or per-sample columns of shape [B, 1, …] during training. Parameterisations and
 * objectives are written once against this record.
 */
public record PathPoint(Tensor t, Tensor alpha, Tensor sigma, Tensor alphaDot, Tensor sigmaDot) {

  /** Scalar coefficients of {@code schedule} at time {@code t}. */
  public static PathPoint at(Schedule schedule, double t, Backend b) {
    return new PathPoint(
        b.scalar(t),
        b.scalar(schedule.alpha(t)),
        b.scalar(schedule.sigma(t)),
        b.scalar(schedule.alphaDot(t)),
        b.scalar(schedule.sigmaDot(t)));
  }

  /** D = α σ̇ − σ α̇, positive whenever the signal-to-noise ratio decreases. */
  public Tensor d() {
    return alpha.times(sigmaDot).minus(sigma.times(alphaDot));
  }
}
