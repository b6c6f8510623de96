package org.diffuse4j.schedules;

import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.tensor.Tensor;

/**
 * TrigFlow's parameterisation (Lu &amp; Song 2024, Simplifying, Stabilizing and Scaling
 * Continuous-Time Consistency Models, eq. 5–6): x̂0 = f(x_τ, τ) = cos τ·x_τ − sin τ·σ_d F(x_τ/σ_d, τ),
 * written for any schedule through r = σ/α: tan τ = r/σ_d and x_τ = cos τ·x/α (on the
 * {@code trigflow} schedule τ = πt/2 and x_τ = x). So c_skip = cos²τ = σ_d²/(r² + σ_d²) on x/α,
 * c_out = −σ_d sin τ = −rσ_d/√(r² + σ_d²), c_in = cos τ/σ_d = 1/√(r² + σ_d²) on x/α (EDM's, with
 * c_out's sign flipped) and the time label c_noise = τ = atan(r/σ_d). The diffusion target of F is
 * the TrigFlow velocity over σ_d, (cos τ·z − sin τ·x0)/σ_d with z = σ_d ε.
 */
public record TrigFlowParameterisation(double sigmaData) implements Parameterisation {

  public TrigFlowParameterisation {
    if (!(sigmaData > 0)) {
      throw new IllegalArgumentException("trigflow parameterisation needs sigma_data > 0, got " + sigmaData);
    }
  }

  private Tensor ratio(PathPoint p) {
    return p.sigma().div(p.alpha());
  }

  /** √(r² + σ_d²) = σ_d/cos τ. */
  private Tensor norm(PathPoint p) {
    return ratio(p).square().plus(sigmaData * sigmaData).sqrt();
  }

  /** cos τ = σ_d/√(r² + σ_d²). */
  public Tensor cos(PathPoint p) {
    return norm(p).rdiv(sigmaData);
  }

  /** sin τ = r/√(r² + σ_d²). */
  public Tensor sin(PathPoint p) {
    return ratio(p).div(norm(p));
  }

  /** x_τ/σ_d = cos τ·x/(α σ_d). */
  @Override
  public Tensor networkInput(Tensor x, PathPoint p) {
    return x.div(p.alpha()).div(norm(p));
  }

  /** c_noise = τ = atan(r/σ_d). */
  @Override
  public Tensor networkTime(PathPoint p) {
    Tensor q = ratio(p).div(sigmaData);
    return q.backend().wrap(q.backend().tf().math.atan(q.op()));
  }

  /** x̂0 = cos²τ·x/α − σ_d sin τ·F. */
  @Override
  public Prediction interpret(Tensor raw, Tensor x, PathPoint p) {
    Tensor c = cos(p);
    Tensor x0 = x.div(p.alpha()).times(c.square()).minus(raw.times(sin(p).times(sigmaData)));
    return Prediction.fromX0(x, p, x0);
  }

  /** F = (cos²τ·x/α − x0)/(σ_d sin τ) = (cos τ·σ_d ε − sin τ·x0)/σ_d, the TrigFlow velocity over σ_d. */
  @Override
  public Tensor target(Tensor x0, Tensor eps, Tensor xt, PathPoint p) {
    return xt.div(p.alpha()).times(cos(p).square()).minus(x0).div(sin(p).times(sigmaData));
  }
}
