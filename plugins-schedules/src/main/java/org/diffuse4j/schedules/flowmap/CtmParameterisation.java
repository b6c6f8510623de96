package org.diffuse4j.schedules.flowmap;

import org.diffuse4j.api.FlowMapParameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.tensor.Tensor;

/**
 * CTM's two-time form (Kim et al. 2024, Consistency Trajectory Models, eq. 4; seed 001 L188–191),
 * in our clock (start s, end t &lt; s): G(x, s, t) = (t/s) x + (1 − t/s) g_θ(x, s, t). G(x, s, s) = x
 * for any g_θ; the exact g is x + (s/(s − t)) ∫_s^t v du, so g(x, s, s) = x − s·v(x, s), and on
 * σ_t = t paths (rectified flow, EDM) g = x̂0 is DDIM's step (seed 001 T13). Needs s &gt; 0.
 */
public record CtmParameterisation() implements FlowMapParameterisation {

  @Override
  public Tensor jump(Tensor raw, Tensor x, PathPoint s, PathPoint t) {
    Tensor ratio = t.t().div(s.t());
    return x.times(ratio).plus(raw.times(ratio.rsub(1)));
  }

  /** g = (end − (t/s) x)/(1 − t/s). */
  @Override
  public Tensor target(Tensor end, Tensor x, PathPoint s, PathPoint t) {
    Tensor ratio = t.t().div(s.t());
    return end.minus(x.times(ratio)).div(ratio.rsub(1));
  }

  /** u = (G − x)/(t − s) = (x − g)/s, defined at t = s as well (g(x, s, s) = x − s·v). */
  @Override
  public Tensor averageVelocity(Tensor raw, Tensor x, PathPoint s, PathPoint t) {
    return x.minus(raw).div(s.t());
  }
}
