package org.diffuse4j.schedules;

/**
 * Variance-preserving schedule with linear β(t) = β_min + (β_max − β_min)t (Song et al. 2021,
 * score-SDE): α = exp(−B(t)/2) with B(t) = ∫₀ᵗβ = β_min t + (β_max − β_min)t²/2, σ = √(1 − α²).
 * Then f = −β/2 and g² = β exactly. σ(0) = 0, so t_min = 1e-3; α(1) = 0.00657 &gt; 0, so t_max = 1.
 */
public record VariancePreserving(double betaMin, double betaMax) implements VariancePreservingFamily {

  public VariancePreserving {
    if (!(betaMin > 0) || !(betaMax > betaMin)) {
      throw new IllegalArgumentException(
          "vp schedule needs 0 < beta_min < beta_max, got beta_min=" + betaMin + ", beta_max=" + betaMax);
    }
  }

  /** β(t). */
  @Override
  public double beta(double t) {
    return betaMin + (betaMax - betaMin) * t;
  }

  /** B(t) = ∫₀ᵗ β. */
  @Override
  public double integratedBeta(double t) {
    return betaMin * t + 0.5 * (betaMax - betaMin) * t * t;
  }

  /** Root of ½(β_max − β_min)t² + β_min t − B = 0, written without cancellation. */
  @Override
  public double timeOfIntegratedBeta(double b) {
    double d = betaMax - betaMin;
    return 2.0 * b / (betaMin + Math.sqrt(betaMin * betaMin + 2.0 * d * b));
  }

  /** σ = 0 at t = 0: the default cut-off is 1e-3 (seed 003, Fig. 9b). */
  @Override
  public double tMin() {
    return 1e-3;
  }
}
