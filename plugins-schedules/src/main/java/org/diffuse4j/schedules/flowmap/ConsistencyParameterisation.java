package org.diffuse4j.schedules.flowmap;

import org.diffuse4j.api.FlowMapParameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.tensor.Tensor;

/**
 * The consistency function of Song et al. 2023 (Consistency Models, §3 and Appendix C) in σ/α:
 * f(x, s) = c_skip(r) x/α_s + c_out(r) F_θ(c_in x/α_s, ¼ ln r) with r = σ_s/α_s,
 * c_skip = σ_d²/((r − r_min)² + σ_d²), c_out = σ_d (r − r_min)/√(r² + σ_d²), c_in = 1/√(r² + σ_d²),
 * so f(x, s) = x/α_s where r = r_min (Song's ε = σ_min; x itself when α = 1). With α = 1 these are
 * diffusers' {@code CMStochasticIterativeScheduler} scalings. The network's second time is ignored.
 *
 * <p>As a jump to any t it moves along the straight line in x/α between f at r_min and x at r_s:
 * G(x, s, t) = α_t [f + ρ (x/α_s − f)], ρ = (r_t − r_min)/(r_s − r_min). So G(x, s, s) = x for any
 * F_θ, G(x, s, t) = α_t f where r_t = r_min (the consistency jump), and with r_min = 0 it is DDIM's
 * step with x̂0 = f.
 */
public record ConsistencyParameterisation(double sigmaData, double sigmaMin) implements FlowMapParameterisation {

  public ConsistencyParameterisation {
    if (!(sigmaData > 0) || !(sigmaMin >= 0)) {
      throw new IllegalArgumentException(
          "consistency parameterisation needs sigma_data > 0 and sigma_min >= 0, got " + sigmaData + ", " + sigmaMin);
    }
  }

  private static Tensor ratio(PathPoint p) {
    return p.sigma().div(p.alpha());
  }

  /** c_skip = σ_d²/((r − r_min)² + σ_d²). */
  public Tensor cSkip(PathPoint p) {
    return ratio(p).minus(sigmaMin).square().plus(sigmaData * sigmaData).rdiv(sigmaData * sigmaData);
  }

  /** c_out = σ_d (r − r_min)/√(r² + σ_d²). */
  public Tensor cOut(PathPoint p) {
    return ratio(p).minus(sigmaMin).times(sigmaData).div(ratio(p).square().plus(sigmaData * sigmaData).sqrt());
  }

  @Override
  public Tensor networkInput(Tensor x, PathPoint s) {
    return x.div(s.alpha()).div(ratio(s).square().plus(sigmaData * sigmaData).sqrt());
  }

  /** c_noise = ¼ ln r (EDM's). */
  @Override
  public Tensor networkTime(PathPoint p) {
    return ratio(p).log().times(0.25);
  }

  /** f(x, s) from the raw output. */
  public Tensor consistency(Tensor raw, Tensor x, PathPoint s) {
    return x.div(s.alpha()).times(cSkip(s)).plus(raw.times(cOut(s)));
  }

  private Tensor rho(PathPoint s, PathPoint t) {
    return ratio(t).minus(sigmaMin).div(ratio(s).minus(sigmaMin));
  }

  @Override
  public Tensor jump(Tensor raw, Tensor x, PathPoint s, PathPoint t) {
    Tensor f = consistency(raw, x, s);
    return f.plus(x.div(s.alpha()).minus(f).times(rho(s, t))).times(t.alpha());
  }

  /** f = (end/α_t − ρ x/α_s)/(1 − ρ), then F = (f − c_skip x/α_s)/c_out. */
  @Override
  public Tensor target(Tensor end, Tensor x, PathPoint s, PathPoint t) {
    Tensor rho = rho(s, t);
    Tensor f = end.div(t.alpha()).minus(x.div(s.alpha()).times(rho)).div(rho.rsub(1));
    return f.minus(x.div(s.alpha()).times(cSkip(s))).div(cOut(s));
  }

  /** At t = s the consistency function is the model's x̂0 (r_min = 0: DDIM's step with x̂0 = f). */
  @Override
  public Prediction instantaneous(Tensor raw, Tensor x, PathPoint s) {
    return Prediction.fromX0(x, s, consistency(raw, x, s));
  }
}
