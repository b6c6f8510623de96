package org.diffuse4j.schedules;

import org.diffuse4j.api.Schedule;

/**
 * A variance-preserving schedule given by its integrated noise rate B(t) = ∫₀ᵗ β: α = exp(−B/2),
 * σ = √(1 − α²) (Ho et al. 2020; Song et al. 2021). Then α̇ = −½βα, σ̇ = −αα̇/σ, f = −β/2, g² = β,
 * λ = −½ log(e^B − 1) and λ ↦ t goes through B = log(1 + e^{−2λ}). Implementations give B, β and
 * the inverse of B.
 */
public interface VariancePreservingFamily extends Schedule {

  /** β(t), the instantaneous noise rate (= g²). */
  double beta(double t);

  /** B(t) = ∫₀ᵗ β = −log ᾱ(t) = −2 log α(t). */
  double integratedBeta(double t);

  /** The t with B(t) = b. */
  double timeOfIntegratedBeta(double b);

  @Override
  default double alpha(double t) {
    return Math.exp(-0.5 * integratedBeta(t));
  }

  /** σ = √(1 − e^{−B}), written with expm1 so it stays accurate near t = 0. */
  @Override
  default double sigma(double t) {
    return Math.sqrt(-Math.expm1(-integratedBeta(t)));
  }

  @Override
  default double alphaDot(double t) {
    return -0.5 * beta(t) * alpha(t);
  }

  /** σ̇ = −α α̇ / σ (from α² + σ² = 1). */
  @Override
  default double sigmaDot(double t) {
    return -alpha(t) * alphaDot(t) / sigma(t);
  }

  /** λ = log(α/σ) = −½ log(e^B − 1). */
  @Override
  default double lambda(double t) {
    return -0.5 * Math.log(Math.expm1(integratedBeta(t)));
  }

  /** e^{−2λ} = e^B − 1 ⇒ B = log(1 + e^{−2λ}). */
  @Override
  default double timeOfLambda(double lambda) {
    return timeOfIntegratedBeta(Math.log1p(Math.exp(-2.0 * lambda)));
  }

  @Override
  default double f(double t) {
    return -0.5 * beta(t);
  }

  /** g² = β exactly (seed 003 §1.3). */
  @Override
  default double g2(double t) {
    return beta(t);
  }
}
