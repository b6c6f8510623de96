package org.diffuse4j.testkit;

import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.ConstantNoise;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * Empirical convergence of a solver on a {@link GaussianMixture}, whose exact denoiser removes any
 * training error: the solver runs in float64 graph mode on a uniform grid from {@code tStart} to
 * {@code tEnd}, from an exact draw of q_{tStart}, and its final rows are compared with a
 * {@link ReferenceSolution} of the probability-flow ODE from the same start. The fitted order is
 * the negated least-squares slope of log(error) against log(steps).
 *
 * <p>Why stop at {@code tEnd} &gt; 0: as t → 0 the mixture's score varies on the scale of its
 * narrowest component (and, under VP, σ̇ = βα²/(2σ) blows up), so the ODE is stiff there and every
 * method's error is dominated by the last steps; stopping at t = 0.03 (σ ≈ 0.1 under VP,
 * 0.03 under rectified flow, below the mixture's narrowest width 0.3) keeps the problem smooth for
 * both schedules, so the measured slope is the method's order, not a boundary artefact.
 *
 * <p>Free of JUnit and AssertJ so the runtime's {@code convergence} command can reuse it.
 *
 * @param mixture the data distribution
 * @param schedule the noising schedule
 * @param tStart first grid time
 * @param tEnd last grid time
 * @param rows samples per run
 * @param seed seed of the initial draw and of any solver noise
 */
public record ConvergenceStudy(
    GaussianMixture mixture, Schedule schedule, double tStart, double tEnd, int rows, long seed) {

  /** The default last time, see the class comment. */
  public static final double DEFAULT_T_END = 0.03;

  public ConvergenceStudy {
    if (!(tStart > tEnd) || rows < 1) {
      throw new IllegalArgumentException("need tStart > tEnd and rows >= 1, got " + tStart + ", " + tEnd + ", " + rows);
    }
  }

  /** The standard study: {@link GaussianMixture#standard2d()}, t from t_max to 0.03, 16 rows. */
  public static ConvergenceStudy of(Schedule schedule) {
    return new ConvergenceStudy(GaussianMixture.standard2d(), schedule, schedule.tMax(), DEFAULT_T_END, 16, 20261123L);
  }

  /** The same study with another row count. */
  public ConvergenceStudy withRows(int n) {
    return new ConvergenceStudy(mixture, schedule, tStart, tEnd, n, seed);
  }

  /** The same study ending at another time. */
  public ConvergenceStudy withTimes(double start, double end) {
    return new ConvergenceStudy(mixture, schedule, start, end, rows, seed);
  }

  /** One measurement. */
  public record Point(int steps, int nfe, double error) {}

  /** Measurements and the fitted order. */
  public record Result(List<Point> points, double order) {
    public Result {
      points = List.copyOf(points);
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(String.format("%6s %6s %12s%n", "steps", "nfe", "error"));
      for (Point p : points) {
        sb.append(String.format("%6d %6d %12.4e%n", p.steps(), p.nfe(), p.error()));
      }
      return sb.append(String.format("fitted order %.3f", order)).toString();
    }
  }

  /** A finished run: final rows (row-major), counted model calls and the state's own NFE. */
  public record Run(double[] x, int calls, int stateNfe) {}

  /** Step counts that keep a method of this order above the reference's error floor. */
  public static int[] defaultSteps(double order) {
    if (order < 1.5) {
      return new int[] {16, 32, 64, 128};
    }
    if (order < 4.5) {
      return new int[] {8, 16, 32, 64};
    }
    return new int[] {4, 8, 16, 32};
  }

  /** Uniform times from tStart to tEnd. */
  public double[] times(int steps) {
    double[] t = new double[steps + 1];
    for (int k = 0; k <= steps; k++) {
      t[k] = tStart + (tEnd - tStart) * k / steps;
    }
    t[steps] = tEnd;
    return t;
  }

  /** {@code n} exact draws of q_{tStart} for samples [first, first + n): row-major n × dim. */
  public double[] initialState(long first, int n) {
    return mixture.at(schedule, tStart).sample(seed, first, n);
  }

  /** The model a solver integrates: the mixture's exact unconditional denoiser. */
  public Denoiser model() {
    ConditionalDenoiser cd = mixture.denoiser(schedule);
    return (x, p) -> cd.predict(x, p, Condition.none());
  }

  /** Runs {@code solver} for {@code steps} steps on samples [first, first + n), in a fresh float64 graph. */
  public Run sample(Solver solver, int steps, long first, int n) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      CountingDenoiser model = new CountingDenoiser(model());
      SamplingProblem problem = new SamplingProblem(
          model, schedule, times(steps), b.constant(initialState(first, n), n, mixture.dim()),
          new ConstantNoise(seed, first));
      SolverState end = solver.solve(problem);
      try (TFloat64 out = (TFloat64) s.runner().fetch(end.x().op()).run().get(0)) {
        double[] x = new double[n * mixture.dim()];
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < mixture.dim(); j++) {
            x[i * mixture.dim() + j] = out.getDouble(i, j);
          }
        }
        return new Run(x, model.calls(), end.nfe());
      }
    }
  }

  /** The reference end points of the study's rows. */
  public double[] reference() {
    return ReferenceSolution.solve(mixture, schedule, tStart, tEnd, initialState(0, rows));
  }

  /** Root-mean-square over rows of the Euclidean distance to the reference, for each step count. */
  public Result run(Solver solver, int... steps) {
    double[] ref = reference();
    List<Point> points = new ArrayList<>();
    for (int n : steps) {
      Run r = sample(solver, n, 0, rows);
      points.add(new Point(n, r.calls(), Math.sqrt(sumSq(r.x(), ref) / rows)));
    }
    return new Result(points, fitOrder(points));
  }

  /** The run at the default step counts for the solver's declared order. */
  public Result run(Solver solver) {
    return run(solver, defaultSteps(solver.traits().order()));
  }

  /**
   * Weak error of {@code n} samples after {@code steps} steps: ‖mean − m‖ + ‖cov − C‖_F against
   * the exact moments (m, C) of the marginal q_{tEnd}. Includes Monte-Carlo error of order 1/√n.
   */
  public double weakError(Solver solver, int steps, int n) {
    double[] x = sample(solver, steps, 0, n).x();
    GaussianMixture target = mixture.at(schedule, tEnd);
    return momentError(x, target.mean(), target.covariance());
  }

  /** ‖mean(x) − m‖ + ‖cov(x) − C‖_F for row-major samples x. */
  public static double momentError(double[] x, double[] m, double[][] c) {
    int d = m.length;
    int n = x.length / d;
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        mean[j] += x[i * d + j] / n;
      }
    }
    double em = 0;
    double ec = 0;
    for (int j = 0; j < d; j++) {
      em += (mean[j] - m[j]) * (mean[j] - m[j]);
      for (int l = 0; l < d; l++) {
        double cov = 0;
        for (int i = 0; i < n; i++) {
          cov += (x[i * d + j] - mean[j]) * (x[i * d + l] - mean[l]) / n;
        }
        ec += (cov - c[j][l]) * (cov - c[j][l]);
      }
    }
    return Math.sqrt(em) + Math.sqrt(ec);
  }

  /** Negated least-squares slope of log(error) on log(steps). */
  public static double fitOrder(List<Point> points) {
    int n = points.size();
    double mx = 0, my = 0;
    for (Point p : points) {
      mx += Math.log(p.steps()) / n;
      my += Math.log(p.error()) / n;
    }
    double sxy = 0, sxx = 0;
    for (Point p : points) {
      double dx = Math.log(p.steps()) - mx;
      sxy += dx * (Math.log(p.error()) - my);
      sxx += dx * dx;
    }
    return -sxy / sxx;
  }

  private static double sumSq(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return s;
  }

  /** Standard normal rows for samples [first, first + n) from stream 0 of the study's seed. */
  public double[] gaussianRows(long first, int n) {
    return CounterNoise.gaussian(seed, first, n, mixture.dim(), 0);
  }
}
