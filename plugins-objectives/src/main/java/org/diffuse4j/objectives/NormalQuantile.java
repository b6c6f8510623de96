package org.diffuse4j.objectives;

/**
 * Inverse CDF Φ⁻¹ of the standard normal: Acklam's rational approximation as a start, polished by
 * two Halley steps on Φ(x) − p with Φ from erfc (series below 2, continued fraction above), to
 * about 1e-14 relative error. The building block of the Gaussian-based time densities.
 */
final class NormalQuantile {
  private NormalQuantile() {}

  private static final double[] A = {
    -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
    1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
  };
  private static final double[] B = {
    -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
    6.680131188771972e+01, -1.328068155288572e+01
  };
  private static final double[] C = {
    -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
    -2.549671010803361e+00, 4.374664141464968e+00, 2.938163982698783e+00
  };
  private static final double[] D = {
    7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00
  };
  private static final double P_LOW = 0.02425;

  /** Φ⁻¹(p); −∞ at 0 and +∞ at 1. */
  static double of(double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("probability must be in [0, 1], got " + p);
    }
    if (p == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (p == 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (p > 0.5) {
      return -of(1 - p);
    }
    double x = start(p);
    for (int i = 0; i < 2; i++) {
      double e = cdf(x) - p;
      double step = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
      x -= step / (1 + 0.5 * x * step);
    }
    return x;
  }

  /** Φ(x) = ½ erfc(−x/√2). */
  static double cdf(double x) {
    return 0.5 * erfc(-x / Math.sqrt(2));
  }

  /** Complementary error function. */
  static double erfc(double z) {
    if (z < 0) {
      return 2 - erfc(-z);
    }
    if (z < 2) {
      // erf z = (2/√π) e^{−z²} Σ 2ⁿ z^{2n+1}/(1·3···(2n+1)): all terms positive.
      double term = z;
      double sum = z;
      for (int n = 1; n < 200 && term > 1e-17 * sum; n++) {
        term *= 2 * z * z / (2 * n + 1);
        sum += term;
      }
      return 1 - 2 / Math.sqrt(Math.PI) * Math.exp(-z * z) * sum;
    }
    // erfc z = e^{−z²}/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))), evaluated from the tail.
    double f = z;
    for (int n = 120; n >= 1; n--) {
      f = z + 0.5 * n / f;
    }
    return Math.exp(-z * z) / (Math.sqrt(Math.PI) * f);
  }

  private static double start(double p) {
    if (p < P_LOW) {
      return tail(Math.sqrt(-2 * Math.log(p)));
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
        / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  }

  private static double tail(double q) {
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
        / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
}
