package org.diffuse4j.schedules;

/**
 * The Beta(a, b) distribution function I_x(a, b) (regularised incomplete beta, by its continued
 * fraction, Abramowitz &amp; Stegun 26.5.8, evaluated with the modified Lentz method) and its
 * inverse by bisection.
 */
final class BetaDistribution {
  private BetaDistribution() {}

  /** I_x(a, b) for x ∈ [0, 1]. */
  static double cdf(double x, double a, double b) {
    if (x <= 0) {
      return 0;
    }
    if (x >= 1) {
      return 1;
    }
    double logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
    if (x < (a + 1) / (a + b + 2)) {
      return Math.exp(logFront) * fraction(x, a, b) / a;
    }
    return 1 - Math.exp(logFront) * fraction(1 - x, b, a) / b;
  }

  /** The x with I_x(a, b) = p, to ~1e-15. */
  static double quantile(double p, double a, double b) {
    if (p <= 0) {
      return 0;
    }
    if (p >= 1) {
      return 1;
    }
    double lo = 0;
    double hi = 1;
    for (int i = 0; i < 200 && hi - lo > 1e-16; i++) {
      double mid = 0.5 * (lo + hi);
      if (cdf(mid, a, b) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }

  private static double logBeta(double a, double b) {
    return logGamma(a) + logGamma(b) - logGamma(a + b);
  }

  /** log Γ(x), x &gt; 0, Lanczos (g = 7, n = 9), relative error ~1e-15. */
  static double logGamma(double x) {
    double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    x -= 1;
    double s = c[0];
    for (int i = 1; i < 9; i++) {
      s += c[i] / (x + i);
    }
    double t = x + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
  }

  /** The continued fraction of I_x(a, b) (A&amp;S 26.5.8), modified Lentz. */
  private static double fraction(double x, double a, double b) {
    double tiny = 1e-300;
    double c = 1;
    double d = 1 - (a + b) * x / (a + 1);
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    double f = d;
    for (int m = 1; m < 500; m++) {
      int m2 = 2 * m;
      double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
      d = 1 + num * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + num / c;
      c = Math.abs(c) < tiny ? tiny : c;
      f *= d * c;
      num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
      d = 1 + num * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + num / c;
      c = Math.abs(c) < tiny ? tiny : c;
      double delta = d * c;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) {
        break;
      }
    }
    return f;
  }
}
