package org.diffuse4j.solvers.exponential;

/**
 * The φ-functions of exponential integrators (Hochbruck &amp; Ostermann 2010): φ₀(z) = e^z and
 * φ_{n+1}(z) = (φ_n(z) − 1/n!)/z, so that ∫₀ʰ e^{z(h−u)/h} u^n/n! du = h^{n+1} φ_{n+1}(z).
 * DPM-Solver (noise prediction) integrates against e^{+u}, z = h; DPM-Solver++ (data prediction)
 * against e^{−u}, z = −h. Small |z| uses the series Σ_j z^j/(j+n)! to avoid cancellation.
 */
public final class Phi {
  private Phi() {}

  /** φ_n(z) for n ≥ 0. */
  public static double phi(int n, double z) {
    if (n < 0) {
      throw new IllegalArgumentException("phi needs n >= 0, got " + n);
    }
    if (n == 0) {
      return Math.exp(z);
    }
    if (Math.abs(z) < 0.5) {
      double term = 1.0 / factorial(n);
      double sum = term;
      for (int j = 1; j < 30; j++) {
        term *= z / (j + n);
        sum += term;
      }
      return sum;
    }
    double p = Math.expm1(z) / z;
    for (int k = 1; k < n; k++) {
      p = (p - 1.0 / factorial(k)) / z;
    }
    return p;
  }

  /** n! as a double. */
  public static double factorial(int n) {
    double f = 1;
    for (int i = 2; i <= n; i++) {
      f *= i;
    }
    return f;
  }
}
