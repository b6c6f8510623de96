package org.diffuse4j.schedules;

import org.diffuse4j.api.Schedule;

/**
 * Variance-preserving schedule with linear β(t) = β_min + (β_max − β_min)t (Song et al. 2021,
 * score-SDE): α = exp(−B(t)/2) with B(t) = ∫₀ᵗβ = β_min t + (β_max − β_min)t²/2, σ = √(1 − α²).
 * Then f = −β/2 and g² = β exactly.
 */
public record VariancePreserving(double betaMin, double betaMax) implements Schedule {

  public VariancePreserving {
    if (!(betaMin > 0) || !(betaMax > betaMin)) {
      throw new IllegalArgumentException(
          "vp schedule needs 0 < beta_min < beta_max, got beta_min=" + betaMin + ", beta_max=" + betaMax);
    }
  }

  /** β(t). */
  public double beta(double t) {
    return betaMin + (betaMax - betaMin) * t;
  }

  /** B(t) = ∫₀ᵗ β. */
  public double integratedBeta(double t) {
    return betaMin * t + 0.5 * (betaMax - betaMin) * t * t;
  }

  @Override
  public double alpha(double t) {
    return Math.exp(-0.5 * integratedBeta(t));
  }

  @Override
  public double sigma(double t) {
    return Math.sqrt(-Math.expm1(-integratedBeta(t)));
  }

  @Override
  public double alphaDot(double t) {
    return -0.5 * beta(t) * alpha(t);
  }

  /** σ̇ = β α² / (2σ). */
  @Override
  public double sigmaDot(double t) {
    double a = alpha(t);
    return 0.5 * beta(t) * a * a / sigma(t);
  }

  /** σ = 0 at t = 0: the default cut-off is 1e-3 (seed 003, Fig. 9b). */
  @Override
  public double tMin() {
    return 1e-3;
  }

  /** λ = −½ log(e^B − 1). */
  @Override
  public double lambda(double t) {
    return -0.5 * Math.log(Math.expm1(integratedBeta(t)));
  }

  /** B = log(1 + e^{−2λ}), then solve the quadratic for t. */
  @Override
  public double timeOfLambda(double lambda) {
    double b = Math.log1p(Math.exp(-2.0 * lambda));
    double d = betaMax - betaMin;
    return 2.0 * b / (betaMin + Math.sqrt(betaMin * betaMin + 2.0 * d * b));
  }

  @Override
  public double f(double t) {
    return -0.5 * beta(t);
  }

  @Override
  public double g2(double t) {
    return beta(t);
  }
}
