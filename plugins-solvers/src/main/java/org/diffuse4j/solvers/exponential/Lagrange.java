package org.diffuse4j.solvers.exponential;

import java.util.function.DoubleUnaryOperator;

/**
 * Quadrature weights of the Lagrange polynomial through past model outputs, the one piece of
 * arithmetic every multistep method here shares (Adams–Bashforth in general form). Nodes are
 * offsets u_j of past points from the current one (u_0 = 0, the others negative for a step of
 * positive length); the interpolant is p(u) = Σ_j ℓ_j(u) f_j.
 */
public final class Lagrange {
  private Lagrange() {}

  /** Monomial coefficients c[j][n] with ℓ_j(u) = Σ_n c[j][n] uⁿ. */
  public static double[][] basis(double[] nodes) {
    int m = nodes.length;
    double[][] c = new double[m][];
    for (int j = 0; j < m; j++) {
      double[] poly = {1.0};
      double denom = 1.0;
      for (int i = 0; i < m; i++) {
        if (i == j) {
          continue;
        }
        double[] next = new double[poly.length + 1];
        for (int n = 0; n < poly.length; n++) {
          next[n + 1] += poly[n];
          next[n] -= nodes[i] * poly[n];
        }
        poly = next;
        denom *= nodes[j] - nodes[i];
      }
      for (int n = 0; n < poly.length; n++) {
        poly[n] /= denom;
      }
      c[j] = poly;
    }
    return c;
  }

  /** Plain weights w_j = ∫₀ᴴ ℓ_j(u) du (Adams–Bashforth on a non-uniform grid; DEIS ρAB, k-diffusion LMS). */
  public static double[] integral(double[] nodes, double length) {
    double[][] c = basis(nodes);
    double[] w = new double[nodes.length];
    for (int j = 0; j < w.length; j++) {
      for (int n = 0; n < c[j].length; n++) {
        w[j] += c[j][n] * Math.pow(length, n + 1) / (n + 1);
      }
    }
    return w;
  }

  /**
   * Exponentially weighted weights w_j = ∫₀ʰ e^{z(h−u)/h} ℓ_j(u) du = Σ_n c[j][n] n! h^{n+1} φ_{n+1}(z)
   * with z = ±h: the exact integral of the interpolant in the variation-of-constants formula
   * (Lu et al. 2022, eq. 3.4; DPM-Solver++ eq. 9).
   */
  public static double[] exponential(double[] nodes, double h, double z) {
    double[][] c = basis(nodes);
    double[] w = new double[nodes.length];
    for (int j = 0; j < w.length; j++) {
      for (int n = 0; n < c[j].length; n++) {
        w[j] += c[j][n] * Phi.factorial(n) * Math.pow(h, n + 1) * Phi.phi(n + 1, z);
      }
    }
    return w;
  }

  /**
   * The same integral with the polynomial built in another variable v: w_j = ∫₀ʰ e^{z(h−u)/h}
   * ℓ_j(v(u)) du, ℓ_j the Lagrange basis on {@code vNodes} (the nodes' values of v, newest first),
   * by 24-point Gauss–Legendre quadrature in u (the integrand is smooth, so the weights are exact
   * to round-off). With v(u) = u this equals {@link #exponential(double[], double, double)}.
   */
  public static double[] exponential(double[] vNodes, DoubleUnaryOperator v, double h, double z) {
    int m = vNodes.length;
    double[] w = new double[m];
    for (int j = 0; j < m; j++) {
      final int jj = j;
      w[j] = GaussLegendre.N24.integrate(u -> {
        double vu = v.applyAsDouble(u);
        double l = 1;
        for (int i = 0; i < m; i++) {
          if (i != jj) {
            l *= (vu - vNodes[i]) / (vNodes[jj] - vNodes[i]);
          }
        }
        return Math.exp(z * (h - u) / h) * l;
      }, 0, h);
    }
    return w;
  }
}
