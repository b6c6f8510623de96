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

  /**
   * Signal scale α(t).
   *
   * @param t time in [tMin, tMax], data at 0 and noise at 1
   * @return α(t), positive on [tMin, tMax]
   */
  double alpha(double t);

  /**
   * Noise scale σ(t).
   *
   * @param t time in [tMin, tMax], data at 0 and noise at 1
   * @return σ(t) &gt;= 0
   */
  double sigma(double t);

  /**
   * dα/dt.
   *
   * @param t time in [tMin, tMax]
   * @return the derivative α̇(t)
   */
  double alphaDot(double t);

  /**
   * dσ/dt.
   *
   * @param t time in [tMin, tMax]
   * @return the derivative σ̇(t)
   */
  double sigmaDot(double t);

  /**
   * Smallest time at which every quantity (λ, f, g², conversions) is finite; samplers should not go
   * below it except by a final denoising step. Defaults to 0.
   *
   * @return the smallest usable time, in [0, 1)
   */
  default double tMin() {
    return 0.0;
  }

  /**
   * Largest usable time (α &gt; 0 there); defaults to 1.
   *
   * @return the largest usable time, in (tMin, 1]
   */
  default double tMax() {
    return 1.0;
  }

  /**
   * The nearest usable time: {@code t} kept in [tMin, tMax] (time densities with unbounded support).
   *
   * @param t a time
   * @return t clamped to [{@link #tMin()}, {@link #tMax()}]
   */
  default double clamp(double t) {
    return Math.min(tMax(), Math.max(tMin(), t));
  }

  /**
   * Half log signal-to-noise ratio λ(t) = log(α/σ) (DPM-Solver's λ); decreasing in t.
   *
   * @param t time in [tMin, tMax]
   * @return λ(t) = log α(t) − log σ(t)
   */
  default double lambda(double t) {
    return Math.log(alpha(t)) - Math.log(sigma(t));
  }

  /**
   * Inverse of {@link #lambda}: the t in [tMin, tMax] with λ(t) = lambda. The default bisects
   * (λ is strictly decreasing for any schedule realisable as a diffusion) to full double precision.
   *
   * @param lambda the half log-SNR, in [λ(tMax), λ(tMin)]
   * @return the time t in [tMin, tMax] with λ(t) = {@code lambda}
   * @throws IllegalArgumentException if {@code lambda} is outside [λ(tMax), λ(tMin)]
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

  /**
   * Noise-to-signal ratio σ/α (the σ of VE/EDM-style samplers).
   *
   * @param t time in [tMin, tMax]
   * @return σ(t)/α(t) &gt;= 0
   */
  default double sigmaOverAlpha(double t) {
    return sigma(t) / alpha(t);
  }

  /**
   * Drift coefficient of the forward SDE dx = f x dt + g dW: f = α̇/α.
   *
   * @param t time in [tMin, tMax]
   * @return f(t) = α̇(t)/α(t)
   */
  default double f(double t) {
    return alphaDot(t) / alpha(t);
  }

  /**
   * Squared diffusion coefficient g² = 2(σσ̇ − σ²α̇/α) (seed 003, eq. 27).
   *
   * @param t time in [tMin, tMax]
   * @return g²(t) = 2(σσ̇ − σ²α̇/α)
   */
  default double g2(double t) {
    double s = sigma(t);
    return 2.0 * (s * sigmaDot(t) - s * s * alphaDot(t) / alpha(t));
  }
}
