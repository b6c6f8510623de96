package org.diffuse4j.solvers;

import java.util.Arrays;

/**
 * An explicit Runge–Kutta method as data (Butcher 1964; Hairer, Nørsett &amp; Wanner, Solving ODEs
 * I, §II.1): stage i evaluates k_i = v(x + h Σ_{j&lt;i} a_ij k_j, t + c_i h) and the step is
 * x' = x + h Σ_i b_i k_i. An optional embedded weight vector b̂ (a lower-order solution) gives the
 * local error estimate h Σ (b_i − b̂_i) k_i used by adaptive step-size control. A new explicit RK
 * method is a new table, not new code.
 *
 * @param name short name, e.g. "rk4"
 * @param order the method's order of accuracy p (global error O(h^p))
 * @param c stage times as fractions of the step
 * @param a strictly lower-triangular stage coefficients (row i has i entries)
 * @param b solution weights
 * @param bHat embedded lower-order weights, or null when the method has none
 */
public record ButcherTableau(String name, int order, double[] c, double[][] a, double[] b, double[] bHat) {

  public ButcherTableau {
    int s = c.length;
    if (s == 0 || a.length != s || b.length != s || (bHat != null && bHat.length != s)) {
      throw new IllegalArgumentException("tableau " + name + ": c, a, b (and b̂) need one entry per stage");
    }
    for (int i = 0; i < s; i++) {
      if (a[i].length != i) {
        throw new IllegalArgumentException(
            "tableau " + name + " is not explicit: row " + i + " of a has " + a[i].length + " entries, expected " + i);
      }
      double rowSum = Arrays.stream(a[i]).sum();
      if (Math.abs(rowSum - c[i]) > 1e-12) {
        throw new IllegalArgumentException(
            "tableau " + name + ": row " + i + " of a sums to " + rowSum + " but c = " + c[i]);
      }
    }
    if (Math.abs(Arrays.stream(b).sum() - 1) > 1e-12) {
      throw new IllegalArgumentException("tableau " + name + ": weights b must sum to 1");
    }
    if (order < 1) {
      throw new IllegalArgumentException("tableau " + name + ": order must be >= 1");
    }
    c = c.clone();
    a = Arrays.stream(a).map(double[]::clone).toArray(double[][]::new);
    b = b.clone();
    bHat = bHat == null ? null : bHat.clone();
  }

  /** Number of stages. */
  public int stages() {
    return c.length;
  }

  /**
   * Stages a fixed step needs: trailing stages with b_i = 0 (Dormand–Prince's "first same as
   * last" stage) only feed the error estimate.
   */
  public int stagesForStep() {
    int s = stages();
    while (s > 1 && b[s - 1] == 0) {
      s--;
    }
    return s;
  }

  @Override
  public double[] c() {
    return c.clone();
  }

  @Override
  public double[][] a() {
    return Arrays.stream(a).map(double[]::clone).toArray(double[][]::new);
  }

  @Override
  public double[] b() {
    return b.clone();
  }

  @Override
  public double[] bHat() {
    return bHat == null ? null : bHat.clone();
  }

  /** a_ij (0 above the diagonal). */
  public double a(int i, int j) {
    return j < i ? a[i][j] : 0.0;
  }

  /** b_i. */
  public double b(int i) {
    return b[i];
  }

  /** c_i. */
  public double c(int i) {
    return c[i];
  }

  /** Forward Euler, order 1. */
  public static final ButcherTableau EULER =
      new ButcherTableau("euler", 1, new double[] {0}, new double[][] {{}}, new double[] {1}, null);

  /** Explicit midpoint method, order 2. */
  public static final ButcherTableau MIDPOINT =
      new ButcherTableau("midpoint", 2, new double[] {0, 0.5}, new double[][] {{}, {0.5}}, new double[] {0, 1}, null);

  /** Heun's method (explicit trapezoid; EDM Algorithm 1), order 2. */
  public static final ButcherTableau HEUN =
      new ButcherTableau("heun", 2, new double[] {0, 1}, new double[][] {{}, {1}}, new double[] {0.5, 0.5}, null);

  /** Ralston's second-order method (minimal error bound among 2-stage methods). */
  public static final ButcherTableau RALSTON =
      new ButcherTableau("ralston", 2, new double[] {0, 2.0 / 3}, new double[][] {{}, {2.0 / 3}},
          new double[] {0.25, 0.75}, null);

  /** Kutta's third-order method. */
  public static final ButcherTableau RK3 =
      new ButcherTableau("rk3", 3, new double[] {0, 0.5, 1}, new double[][] {{}, {0.5}, {-1, 2}},
          new double[] {1.0 / 6, 2.0 / 3, 1.0 / 6}, null);

  /** The classical fourth-order Runge–Kutta method. */
  public static final ButcherTableau RK4 =
      new ButcherTableau("rk4", 4, new double[] {0, 0.5, 0.5, 1},
          new double[][] {{}, {0.5}, {0, 0.5}, {0, 0, 1}},
          new double[] {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6}, null);

  /**
   * Dormand–Prince 5(4) (Dormand &amp; Prince 1980): 5th-order solution b, 4th-order embedded b̂;
   * the 7th stage (FSAL) is only needed for the error estimate.
   */
  public static final ButcherTableau DOPRI5 =
      new ButcherTableau("dopri5", 5,
          new double[] {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1},
          new double[][] {
            {},
            {1.0 / 5},
            {3.0 / 40, 9.0 / 40},
            {44.0 / 45, -56.0 / 15, 32.0 / 9},
            {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
            {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
            {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}
          },
          new double[] {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0},
          new double[] {5179.0 / 57600, 0, 7571.0 / 16695, 393.0 / 640, -92097.0 / 339200, 187.0 / 2100, 1.0 / 40});
}
