package org.diffuse4j.solvers.exponential;

/**
 * Gauss–Legendre quadrature on [−1, 1]: nodes are the roots of P_n (Newton from Chebyshev guesses),
 * weights 2/((1 − x²) P_n'(x)²). n points integrate polynomials of degree 2n − 1 exactly.
 */
final class GaussLegendre {
  /** 24 points: exact to degree 47; the integrands here are entire, so the error is at round-off. */
  static final GaussLegendre N24 = new GaussLegendre(24);

  final double[] x;
  final double[] w;

  GaussLegendre(int n) {
    x = new double[n];
    w = new double[n];
    for (int i = 0; i < n; i++) {
      double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
      double dp = 0;
      for (int it = 0; it < 100; it++) {
        double p0 = 1;
        double p1 = z;
        for (int k = 2; k <= n; k++) {
          double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
          p0 = p1;
          p1 = p2;
        }
        dp = n * (z * p1 - p0) / (z * z - 1);
        double dz = p1 / dp;
        z -= dz;
        if (Math.abs(dz) < 1e-16) {
          break;
        }
      }
      x[i] = z;
      w[i] = 2 / ((1 - z * z) * dp * dp);
    }
  }

  /** ∫_a^b f. */
  double integrate(java.util.function.DoubleUnaryOperator f, double a, double b) {
    double m = 0.5 * (a + b);
    double r = 0.5 * (b - a);
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += w[i] * f.applyAsDouble(m + r * x[i]);
    }
    return r * s;
  }
}
