package org.diffuse4j.api;

/**
 * A noising schedule x_t = α(t)·x0 + σ(t)·ε on t ∈ [0, 1] (data at t = 0, noise at t = 1): pure,
 * immutable functions of a Java double. Derived quantities follow the general formulas of the
 * Gaussian-interpolant SDE (seed 003, eq. 27/32): f = α̇/α and g² = 2(σσ̇ − σ²α̇/α).
 *
 * <p>Implementations give α, σ and their derivatives; λ, its inverse and the SDE coefficients have
 * correct defaults that a schedule may override with closed forms.
 */
public interface Schedule {

  /** Signal scale α(t). */
  double alpha(double t);

  /** Noise scale σ(t). */
  double sigma(double t);

  /** dα/dt. */
  double alphaDot(double t);

  /** dσ/dt. */
  double sigmaDot(double t);

  /**
   * Smallest time at which every quantity (λ, f, g², conversions) is finite; samplers should not go
   * below it except by a final denoising step. Defaults to 0.
   */
  default double tMin() {
    return 0.0;
  }

  /** Largest usable time (α &gt; 0 there); defaults to 1. */
  default double tMax() {
    return 1.0;
  }

  /** Half log signal-to-noise ratio λ(t) = log(α/σ) (DPM-Solver's λ); decreasing in t. */
  default double lambda(double t) {
    return Math.log(alpha(t)) - Math.log(sigma(t));
  }

  /**
   * Inverse of {@link #lambda}: the t in [tMin, tMax] with λ(t) = lambda. The default bisects
   * (λ is strictly decreasing for any schedule realisable as a diffusion) to full double precision.
   */
  default double timeOfLambda(double lambda) {
    double lo = tMin();
    double hi = tMax();
    if (!(lambda <= lambda(lo)) || !(lambda >= lambda(hi))) {
      throw new IllegalArgumentException(
          "lambda " + lambda + " is outside this schedule's range [" + lambda(hi) + ", " + lambda(lo) + "]");
    }
    for (int i = 0; i < 200 && hi - lo > 0; i++) {
      double mid = 0.5 * (lo + hi);
      if (mid == lo || mid == hi) {
        break;
      }
      if (lambda(mid) > lambda) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }

  /** Noise-to-signal ratio σ/α (the σ of VE/EDM-style samplers). */
  default double sigmaOverAlpha(double t) {
    return sigma(t) / alpha(t);
  }

  /** Drift coefficient of the forward SDE dx = f x dt + g dW: f = α̇/α. */
  default double f(double t) {
    return alphaDot(t) / alpha(t);
  }

  /** Squared diffusion coefficient g² = 2(σσ̇ − σ²α̇/α) (seed 003, eq. 27). */
  default double g2(double t) {
    double s = sigma(t);
    return 2.0 * (s * sigmaDot(t) - s * s * alphaDot(t) / alpha(t));
  }
}
