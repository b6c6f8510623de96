package org.diffuse4j.api.analytic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.ConstantNoise;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.TimeGrid;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.tensorflow.EagerSession;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * Empirical convergence of a solver on a {@link GaussianMixture}, whose exact denoiser removes any
 * training error: the solver runs in float64 (eagerly, see {@link #sample(Solver, Denoiser, double[], long, int)}) over {@code grid.times(schedule, N)} for
 * each step count N, from an exact draw of q at the grid's first time, and its final rows are
 * compared with a {@link ReferenceSolution} of the probability-flow ODE from the same start to the
 * grid's last time. The fitted order is the negated least-squares slope of log(error) on log(N).
 *
 * <p>Default ({@link #of(Schedule)}): a grid uniform in log-SNR λ = log(α/σ) from the schedule's
 * tMax to {@link #DEFAULT_T_END} = 0.03. Why λ-uniform: exponential integrators and multistep
 * methods step in λ or σ/α, and on a t-uniform grid the first λ step from tMax stays large (≈ 7
 * under rectified flow at any N), so their error is not yet in its asymptotic regime; the
 * DPM-Solver and UniPC papers measure on this grid for that reason. Runge–Kutta methods reach their
 * orders on it too. Why stop at t = 0.03 and not 0: as t → 0 the mixture's score varies on the scale
 * of its narrowest component (and under VP σ̇ = βα²/(2σ) blows up), the ODE turns stiff and the
 * last steps dominate every method's error. Any other grid (e.g. {@link #uniform}) can be passed.
 *
 * <p>Free of JUnit and AssertJ so the runtime's {@code convergence} command can reuse it with any
 * solver, schedule, grid and step counts.
 *
 * @param mixture the data distribution
 * @param schedule the noising schedule
 * @param grid the time grid; every step count must give the same first and last time
 * @param rows samples per run
 * @param seed seed of the initial draw and of any solver noise
 * @param init the rows at the first grid time (row-major rows × dim), or null for exact draws of the marginal there
 */
public record ConvergenceStudy(
    GaussianMixture mixture, Schedule schedule, TimeGrid grid, int rows, long seed, double[] init) {

  /** The default last time, see the class comment. */
  public static final double DEFAULT_T_END = 0.03;

  /** The default step counts: the asymptotic regime of orders 1–5 on the default grid, above the reference's floor. */
  public static final int[] DEFAULT_STEPS = {16, 32, 64, 128};

  /**
   * Checks rows &gt;= 1 and that an initial state has rows × dim values.
   *
   * @param mixture the data distribution
   * @param schedule the noising schedule
   * @param grid the time grid; every step count must give the same first and last time
   * @param rows samples per run, ≥ 1
   * @param seed seed of the initial draw and of any solver noise
   * @param init the rows at the first grid time (row-major rows × dim), or null for exact draws of the
   *     marginal there
   */
  public ConvergenceStudy {
    if (rows < 1) {
      throw new IllegalArgumentException("need rows >= 1, got " + rows);
    }
    if (init != null && init.length != rows * mixture.dim()) {
      throw new IllegalArgumentException("initial state has " + init.length + " values, not rows × dim = " + rows * mixture.dim());
    }
  }

  /**
   * The standard study: {@link GaussianMixture#standard2d()}, λ-uniform grid from tMax to 0.03, 16 rows.
   *
   * @param schedule the noising schedule
   * @return the study on the standard 2-d mixture, 16 rows, seed 20261123, exact initial draws
   */
  public static ConvergenceStudy of(Schedule schedule) {
    return of(schedule, logSnr(DEFAULT_T_END));
  }

  /**
   * The standard mixture, rows and seed on another grid.
   *
   * @param schedule the noising schedule
   * @param grid the time grid to measure on
   * @return the study on the standard 2-d mixture, 16 rows, seed 20261123, exact initial draws
   */
  public static ConvergenceStudy of(Schedule schedule, TimeGrid grid) {
    return new ConvergenceStudy(GaussianMixture.standard2d(), schedule, grid, 16, 20261123L, null);
  }

  /**
   * Times uniform in λ from the schedule's tMax to {@code tEnd}.
   *
   * @param tEnd the last time, in (0, tMax)
   * @return a grid whose steps are equal in λ = log(α/σ), with ends exactly tMax and {@code tEnd}
   */
  public static TimeGrid logSnr(double tEnd) {
    return (schedule, steps) -> {
      double l0 = schedule.lambda(schedule.tMax());
      double l1 = schedule.lambda(tEnd);
      double[] t = new double[steps + 1];
      for (int k = 0; k <= steps; k++) {
        t[k] = k == 0 ? schedule.tMax() : k == steps ? tEnd : schedule.timeOfLambda(l0 + (l1 - l0) * k / steps);
      }
      return t;
    };
  }

  /**
   * Times uniform in t from the schedule's tMax to {@code tEnd}.
   *
   * @param tEnd the last time, in [0, tMax)
   * @return a grid of equal steps in t, with ends exactly tMax and {@code tEnd}
   */
  public static TimeGrid uniform(double tEnd) {
    return (schedule, steps) -> {
      double[] t = new double[steps + 1];
      for (int k = 0; k <= steps; k++) {
        t[k] = k == steps ? tEnd : schedule.tMax() + (tEnd - schedule.tMax()) * k / steps;
      }
      return t;
    };
  }

  /**
   * The same study with another row count.
   *
   * @param n the new number of rows, ≥ 1
   * @return a copy with {@code n} rows and exact initial draws (any given initial state is dropped)
   */
  public ConvergenceStudy withRows(int n) {
    return new ConvergenceStudy(mixture, schedule, grid, n, seed, null);
  }

  /**
   * The same study with another seed.
   *
   * @param s the new seed
   * @return a copy with seed {@code s}, otherwise unchanged
   */
  public ConvergenceStudy withSeed(long s) {
    return new ConvergenceStudy(mixture, schedule, grid, rows, s, init);
  }

  /**
   * The same study started from given points at the grid's first time (row-major n × dim, e.g. noise
   * from another implementation) instead of exact draws of the marginal there.
   *
   * @param x the initial rows, row-major n × dim (copied); n becomes the row count
   * @return a copy starting from {@code x}
   */
  public ConvergenceStudy withInit(double[] x) {
    return new ConvergenceStudy(mixture, schedule, grid, x.length / mixture.dim(), seed, x.clone());
  }

  /**
   * One measurement.
   *
   * @param steps the number of solver steps
   * @param nfe the number of model calls counted during the run
   * @param error the RMS distance of the final rows to the reference
   */
  public record Point(int steps, int nfe, double error) {}

  /**
   * Measurements and the fitted order.
   *
   * @param points the measurements, one per step count
   * @param order the fitted order, see {@link ConvergenceStudy#fitOrder(List)}
   */
  public record Result(List<Point> points, double order) {
    /**
     * Copies the points.
     *
     * @param points the measurements, one per step count (copied)
     * @param order the fitted order, see {@link ConvergenceStudy#fitOrder(List)}
     */
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

  /**
   * A finished run: final rows (row-major), counted model calls and the state's own NFE.
   *
   * @param x the final rows, row-major rows × dim
   * @param calls the model calls counted by a {@link CountingDenoiser}
   * @param stateNfe the number of function evaluations the solver's final state reports
   */
  public record Run(double[] x, int calls, int stateNfe) {}

  /**
   * The grid's times for {@code steps} steps.
   *
   * @param steps the number of steps, ≥ 1
   * @return the steps + 1 times, from the grid's first time to its last
   */
  public double[] times(int steps) {
    return grid.times(schedule, steps);
  }

  /**
   * The grid's first time (every step count starts here).
   *
   * @return the first time of the grid, the same for every step count
   */
  public double tStart() {
    return times(1)[0];
  }

  /**
   * The grid's last time (every step count ends here).
   *
   * @return the last time of the grid, the same for every step count
   */
  public double tEnd() {
    return times(1)[1];
  }

  /**
   * {@code n} exact draws of q_{tStart} for samples [first, first + n): row-major n × dim.
   *
   * @param first index of the first sample (a draw depends only on the seed and the sample index)
   * @param n number of rows
   * @return the rows, row-major n × dim: the study's given initial rows [first, first + n) when it has them,
   *     else exact draws
   */
  public double[] initialState(long first, int n) {
    return initialRows(tStart(), first, n);
  }

  /** Rows [first, first + n) at time {@code start}: the given initial state, or exact draws of q_start. */
  private double[] initialRows(double start, long first, int n) {
    if (init == null || start != tStart()) {
      return mixture.at(schedule, start).sample(seed, first, n);
    }
    int d = mixture.dim();
    return Arrays.copyOfRange(init, (int) first * d, (int) (first + n) * d);
  }

  /**
   * The model a solver integrates: the mixture's exact unconditional denoiser.
   *
   * @return the denoiser that predicts the clean data exactly for the mixture under the schedule
   */
  public Denoiser model() {
    ConditionalDenoiser cd = mixture.denoiser(schedule);
    return (x, p) -> cd.predict(x, p, Condition.none());
  }

  /**
   * Runs {@code solver} for {@code steps} steps on samples [first, first + n), in float64.
   *
   * @param solver the solver to run
   * @param steps the number of steps on the study's grid
   * @param first index of the first sample
   * @param n number of rows
   * @return the final rows, the model call count and the solver's NFE
   */
  public Run sample(Solver solver, int steps, long first, int n) {
    return sample(solver, model(), times(steps), first, n);
  }

  /**
   * Runs {@code solver} with another model (e.g. the mixture seen through a parameterisation) over
   * {@code times}, op by op in TensorFlow's eager mode: the same kernels as the engine's graphs, so
   * the same numbers up to rounding, but a graph of ~10⁴–10⁵ small ops that runs once spends most of its time
   * setting up each node (measured here: Heun at 512 steps, 64,000 ops, 4.1 s as a graph without
   * the optimisers, 1.2 s eagerly, the first end point equal to the bit). The engine's graph mode is checked
   * by the kit's {@code assertStepIsPure}, which builds its steps in a graph.
   *
   * @param solver the solver to run
   * @param denoiser the model the solver integrates
   * @param times the time grid, from the start time to the end time
   * @param first index of the first sample
   * @param n number of rows
   * @return the final rows (row-major n × dim), the model call count and the solver's NFE
   */
  public Run sample(Solver solver, Denoiser denoiser, double[] times, long first, int n) {
    double[] start = initialRows(times[0], first, n);
    try (EagerSession eager = EagerSession.create()) {
      Backend b = new Backend(Ops.create(eager), Precision.FLOAT64);
      CountingDenoiser model = new CountingDenoiser(denoiser);
      SamplingProblem problem = new SamplingProblem(
          model, schedule, times, b.constant(start, n, mixture.dim()), new ConstantNoise(seed, first));
      SolverState end = solver.solve(problem);
      TFloat64 out = (TFloat64) end.x().op().asTensor();
      double[] x = new double[n * mixture.dim()];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < mixture.dim(); j++) {
          x[i * mixture.dim() + j] = out.getDouble(i, j);
        }
      }
      return new Run(x, model.calls(), end.nfe());
    }
  }

  private static final Map<String, double[]> REFERENCES = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, double[]> e) {
      return size() > 64;
    }
  };

  /**
   * The reference end points of the study's rows at the grid's last time, computed once per
   * (mixture, schedule, start, end, rows, seed) and shared by every solver measured on it.
   *
   * @return the reference rows at {@link #tEnd()}, row-major rows × dim (a fresh copy)
   */
  public double[] reference() {
    return reference(tStart(), tEnd());
  }

  /**
   * The reference end points at {@code end} of the rows drawn at {@code start}.
   *
   * @param start the time the rows are drawn (or given) at
   * @param end the time to integrate the probability-flow ODE to
   * @return the reference rows at {@code end}, row-major rows × dim (a fresh copy)
   */
  public double[] reference(double start, double end) {
    String key = Arrays.deepToString(mixture.means()) + Arrays.toString(mixture.stds())
        + Arrays.toString(mixture.weights()) + schedule + start + "/" + end + "/" + rows + "/" + seed
        + (init == null ? "" : "/" + Arrays.hashCode(init));
    synchronized (REFERENCES) {
      return REFERENCES.computeIfAbsent(key,
          k -> ReferenceSolution.solve(mixture, schedule, start, end, initialRows(start, 0, rows)))
          .clone();
    }
  }

  /**
   * Root-mean-square over rows of the Euclidean distance to the reference, for each step count.
   *
   * @param solver the solver to measure
   * @param steps at least 2 step counts
   * @return the error for each step count and the fitted order
   */
  public Result run(Solver solver, int... steps) {
    if (steps.length < 2) {
      throw new IllegalArgumentException("a fitted order needs at least 2 step counts, got " + Arrays.toString(steps));
    }
    double[] ref = reference();
    List<Point> points = new ArrayList<>();
    for (int n : steps) {
      double[] t = times(n);
      if (t[0] != tStart() || t[n] != tEnd()) {
        throw new IllegalArgumentException("grid " + grid + " with " + n + " steps runs from " + t[0] + " to " + t[n]
            + ", not from " + tStart() + " to " + tEnd() + " as with 1 step; a convergence study needs fixed ends");
      }
      Run r = sample(solver, n, 0, rows);
      points.add(new Point(n, r.calls(), rms(r.x(), ref)));
    }
    return new Result(points, fitOrder(points));
  }

  /**
   * The run at {@link #DEFAULT_STEPS}.
   *
   * @param solver the solver to measure
   * @return the error for each default step count and the fitted order
   */
  public Result run(Solver solver) {
    return run(solver, DEFAULT_STEPS);
  }

  /**
   * Root-mean-square over rows of the Euclidean distance between row-major {@code x} and {@code ref}.
   *
   * @param x row-major rows, n × dim
   * @param ref row-major rows of the same shape
   * @return the RMS distance, ≥ 0
   */
  public double rms(double[] x, double[] ref) {
    return Math.sqrt(sumSq(x, ref) / (x.length / mixture.dim()));
  }

  /**
   * Weak error of {@code n} samples after {@code steps} steps: ‖mean − m‖ + ‖cov − C‖_F against
   * the exact moments (m, C) of the marginal at the grid's last time. Includes Monte-Carlo error of order 1/√n.
   *
   * @param solver the solver to run
   * @param steps the number of steps on the study's grid
   * @param n the number of samples
   * @return the weak error, ≥ 0
   */
  public double weakError(Solver solver, int steps, int n) {
    double[] x = sample(solver, steps, 0, n).x();
    GaussianMixture target = mixture.at(schedule, tEnd());
    return momentError(x, target.mean(), target.covariance());
  }
  /**
   * ‖mean(x) − m‖ + ‖cov(x) − C‖_F for row-major samples x.
   *
   * @param x row-major samples, n × d
   * @param m the target mean, length d
   * @param c the target covariance, d × d
   * @return the mean error plus the covariance error in Frobenius norm (population covariance, divisor n)
   */
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

  /**
   * Negated least-squares slope of log(error) on log(steps).
   *
   * @param points at least 2 measurements with positive errors
   * @return the negated slope, the empirical order of convergence
   */
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

  /**
   * Standard normal rows for samples [first, first + n) from stream 0 of the study's seed.
   *
   * @param first index of the first sample
   * @param n number of rows
   * @return the rows, row-major n × dim
   */
  public double[] gaussianRows(long first, int n) {
    return CounterNoise.gaussian(seed, first, n, mixture.dim(), 0);
  }
}
