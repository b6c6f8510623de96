package org.diffuse4j.schedules.flowmap;

import org.diffuse4j.api.FlowMapParameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.tensor.Tensor;

/**
 * MeanFlow's average velocity (Geng et al. 2025, Mean Flows for One-step Generative Modeling,
 * eq. 3–4; seed 001 L200–201): G(x, s, t) = x + (t − s) h_θ(x, s, t), h ≈ (1/(t − s)) ∫_s^t v du.
 * MeanFlow's paper uses our clock (data at 0, noise at 1, v = ε − x0 on the linear path) with the
 * start called t and the end r: its z_r = z_t − (t − r) u(z_t, r, t) is this form with s = t_MF,
 * t = r, h = u. Sampling goes to t &lt; s, so (t − s) is negative. G(x, s, s) = x for any h_θ.
 */
public record MeanFlowParameterisation() implements FlowMapParameterisation {

  @Override
  public Tensor jump(Tensor raw, Tensor x, PathPoint s, PathPoint t) {
    return x.plus(raw.times(t.t().minus(s.t())));
  }

  /** h = (end − x)/(t − s). */
  @Override
  public Tensor target(Tensor end, Tensor x, PathPoint s, PathPoint t) {
    return end.minus(x).div(t.t().minus(s.t()));
  }

  /** u = h, defined at t = s as well (the velocity there). */
  @Override
  public Tensor averageVelocity(Tensor raw, Tensor x, PathPoint s, PathPoint t) {
    return raw;
  }
}
