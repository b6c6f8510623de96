package org.diffuse4j.schedules;

import org.diffuse4j.api.Schedule;

/**
 * Sub-VP schedule of score-SDE (Song et al. 2021, eq. 29): the VP signal α = e^{−B/2} with the
 * smaller noise σ = 1 − e^{−B} = 1 − α², B(t) = β_min t + ½(β_max − β_min)t². Then σ̇ = βα²,
 * f = −β/2 and g² = β(1 − e^{−2B}). σ(0) = 0, so t_min = 1e-3; t_max = 1.
 */
public record SubVariancePreserving(VariancePreserving vp) implements Schedule {

  public SubVariancePreserving(double betaMin, double betaMax) {
    this(new VariancePreserving(betaMin, betaMax));
  }

  @Override
  public double alpha(double t) {
    return vp.alpha(t);
  }

  @Override
  public double sigma(double t) {
    return -Math.expm1(-vp.integratedBeta(t));
  }

  @Override
  public double alphaDot(double t) {
    return vp.alphaDot(t);
  }

  @Override
  public double sigmaDot(double t) {
    return vp.beta(t) * Math.exp(-vp.integratedBeta(t));
  }

  @Override
  public double tMin() {
    return 1e-3;
  }

  /** λ = −B/2 − log(1 − e^{−B}). */
  @Override
  public double lambda(double t) {
    double b = vp.integratedBeta(t);
    return -0.5 * b - Math.log(-Math.expm1(-b));
  }

  /**
   * With q = e^λ, α/(1 − α²) = q gives α = 2q/(1 + √(1 + 4q²)), so
   * B = −2 log α = 2 log1p((1 + 1/(√(1+4q²) + 2q))/(2q)).
   */
  @Override
  public double timeOfLambda(double lambda) {
    double q = Math.exp(lambda);
    double root = Math.sqrt(1 + 4 * q * q);
    double b = 2.0 * Math.log1p((1 + 1 / (root + 2 * q)) / (2 * q));
    return vp.timeOfIntegratedBeta(b);
  }

  @Override
  public double f(double t) {
    return vp.f(t);
  }

  /** g² = β(1 − e^{−2B}). */
  @Override
  public double g2(double t) {
    return -vp.beta(t) * Math.expm1(-2.0 * vp.integratedBeta(t));
  }
}
