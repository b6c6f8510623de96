package org.diffuse4j.schedules;

import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.tensor.Tensor;

/**
 * EDM preconditioning (Karras et al. 2022, Table 1), written for any schedule through the scaled
 * state x/α = x0 + r ε with r = σ/α (EDM's s(t) = α, σ(t) = r):
 * D = c_skip·x/α + c_out·F(c_in·x/α, c_noise), with c_skip = σ_d²/(r² + σ_d²),
 * c_out = r σ_d/√(r² + σ_d²), c_in = 1/√(r² + σ_d²), c_noise = ¼ ln r, σ_d = σ_data (0.5).
 * D is x̂0; the training target of F is (x0 − c_skip·x/α)/c_out. With α = 1 this is EDM exactly.
 * (EDM's loss weight 1/c_out² belongs to the objective's weighting.)
 */
public record EdmParameterisation(double sigmaData) implements Parameterisation {

  public EdmParameterisation {
    if (!(sigmaData > 0)) {
      throw new IllegalArgumentException("edm parameterisation needs sigma_data > 0, got " + sigmaData);
    }
  }

  private Tensor ratio(PathPoint p) {
    return p.sigma().div(p.alpha());
  }

  /** r² + σ_d². */
  private Tensor norm(PathPoint p) {
    return ratio(p).square().plus(sigmaData * sigmaData);
  }

  /** c_skip = σ_d²/(r² + σ_d²). */
  public Tensor cSkip(PathPoint p) {
    return norm(p).rdiv(sigmaData * sigmaData);
  }

  /** c_out = r σ_d/√(r² + σ_d²). */
  public Tensor cOut(PathPoint p) {
    return ratio(p).times(sigmaData).div(norm(p).sqrt());
  }

  /** c_in = 1/√(r² + σ_d²), applied to x/α. */
  public Tensor cIn(PathPoint p) {
    return norm(p).sqrt().rdiv(1.0);
  }

  @Override
  public Tensor networkInput(Tensor x, PathPoint p) {
    return x.div(p.alpha()).times(cIn(p));
  }

  /** c_noise = ¼ ln r. */
  @Override
  public Tensor networkTime(PathPoint p) {
    return ratio(p).log().times(0.25);
  }

  @Override
  public Prediction interpret(Tensor raw, Tensor x, PathPoint p) {
    Tensor x0 = x.div(p.alpha()).times(cSkip(p)).plus(raw.times(cOut(p)));
    return Prediction.fromX0(x, p, x0);
  }

  @Override
  public Tensor target(Tensor x0, Tensor eps, Tensor xt, PathPoint p) {
    return x0.minus(xt.div(p.alpha()).times(cSkip(p))).div(cOut(p));
  }
}
