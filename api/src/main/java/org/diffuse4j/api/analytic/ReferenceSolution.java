package org.diffuse4j.api.analytic;

import org.diffuse4j.api.Schedule;

/**
 * A high-accuracy solution of the probability-flow ODE dx/dt = α̇ x̂0 + σ̇ ε̂ of a
 * {@link GaussianMixture} (exact x̂0 in Java doubles), integrated row by row with adaptive
 * Dormand–Prince 5(4) (Dormand &amp; Prince 1980; Hairer, Nørsett &amp; Wanner, Solving ODEs I,
 * §II.4–5): local error control on max_j |err_j| / (atol + rtol·max(|x_j|, |x'_j|)) ≤ 1 with the
 * standard step-size rule h ← h·min(5, max(0.2, 0.9·err^(−1/5))). Written independently of the
 * solvers under test (its own coefficients, plain Java, float64). Works in either time direction.
 */
public final class ReferenceSolution {
  private ReferenceSolution() {}

  /** Default relative tolerance. */
  public static final double RTOL = 1e-12;

  /** Default absolute tolerance. */
  public static final double ATOL = 1e-13;

  private static final double[] C = {0, 0.2, 0.3, 0.8, 8.0 / 9, 1, 1};
  private static final double[][] A = {
    {},
    {0.2},
    {3.0 / 40, 9.0 / 40},
    {44.0 / 45, -56.0 / 15, 32.0 / 9},
    {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
    {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
    {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}
  };
  /** 5th-order weights (= the last row of A) minus the 4th-order embedded ones. */
  private static final double[] E = {
    35.0 / 384 - 5179.0 / 57600, 0, 500.0 / 1113 - 7571.0 / 16695, 125.0 / 192 - 393.0 / 640,
    -2187.0 / 6784 + 92097.0 / 339200, 11.0 / 84 - 187.0 / 2100, -1.0 / 40
  };

  /**
   * {@link #solve(GaussianMixture, Schedule, double, double, double[], double, double)} at the default tolerances.
   *
   * @param gm the data distribution, whose exact x̂0 drives the ODE
   * @param schedule the noising schedule
   * @param t0 the start time
   * @param t1 the end time (before or after t0)
   * @param x the rows at t0, row-major n × dim
   * @return the rows at t1, row-major n × dim
   */
  public static double[] solve(GaussianMixture gm, Schedule schedule, double t0, double t1, double[] x) {
    return solve(gm, schedule, t0, t1, x, RTOL, ATOL);
  }

  /**
   * Carries each row of {@code x} (row-major n × dim) from t0 to t1 along the PF-ODE.
   *
   * @param gm the data distribution, whose exact x̂0 drives the ODE
   * @param schedule the noising schedule
   * @param t0 the start time
   * @param t1 the end time (before or after t0)
   * @param x the rows at t0, row-major n × dim (not modified)
   * @param rtol the relative tolerance of the local error control, e.g. {@link #RTOL}
   * @param atol the absolute tolerance of the local error control, e.g. {@link #ATOL}
   * @return the rows at t1
   */
  public static double[] solve(
      GaussianMixture gm, Schedule schedule, double t0, double t1, double[] x, double rtol, double atol) {
    int d = gm.dim();
    double[] out = new double[x.length];
    for (int r = 0; r < x.length / d; r++) {
      double[] row = new double[d];
      System.arraycopy(x, r * d, row, 0, d);
      double[] end = solveRow(gm, schedule, t0, t1, row, rtol, atol);
      System.arraycopy(end, 0, out, r * d, d);
    }
    return out;
  }

  private static double[] solveRow(
      GaussianMixture gm, Schedule sch, double t0, double t1, double[] x, double rtol, double atol) {
    int d = x.length;
    double dir = Math.signum(t1 - t0);
    double t = t0;
    double h = dir * Math.min(1e-3, Math.abs(t1 - t0));
    double[] k1 = gm.velocity(sch, t, x);
    for (int iter = 0; iter < 1_000_000; iter++) {
      if ((t1 - t) * dir <= 0) {
        return x;
      }
      if ((t + h - t1) * dir > 0) {
        h = t1 - t;
      }
      double[][] k = new double[7][];
      k[0] = k1;
      double[] xNew = null; // the 5th-order solution is the input of stage 7 (first same as last)
      for (int i = 1; i < 7; i++) {
        double[] xi = x.clone();
        for (int j = 0; j < i; j++) {
          for (int m = 0; m < d; m++) {
            xi[m] += h * A[i][j] * k[j][m];
          }
        }
        if (i == 6) {
          xNew = xi;
        }
        k[i] = gm.velocity(sch, t + C[i] * h, xi);
      }
      double err = 0;
      for (int m = 0; m < d; m++) {
        double e = 0;
        for (int i = 0; i < 7; i++) {
          e += h * E[i] * k[i][m];
        }
        double scale = atol + rtol * Math.max(Math.abs(x[m]), Math.abs(xNew[m]));
        err = Math.max(err, Math.abs(e) / scale);
      }
      if (err <= 1) {
        t = (Math.abs(t1 - (t + h)) < 1e-15) ? t1 : t + h;
        x = xNew;
        k1 = k[6];
      }
      h *= Math.min(5, Math.max(0.2, 0.9 * Math.pow(Math.max(err, 1e-30), -0.2)));
    }
    throw new IllegalStateException("reference solution did not reach t1 = " + t1);
  }
}
