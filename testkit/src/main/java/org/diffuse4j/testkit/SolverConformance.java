package org.diffuse4j.testkit;

import org.diffuse4j.api.analytic.ReferenceSolution;
import org.diffuse4j.api.analytic.ConvergenceStudy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConstantNoise;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.TimeGrid;
import org.diffuse4j.api.analytic.PointCloud;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.schedules.RectifiedFlow;
import org.diffuse4j.schedules.VariancePreserving;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * The conformance checks every {@link Solver} (ours or a third party's) should pass, on the exact
 * {@link org.diffuse4j.api.analytic.GaussianMixture} model in float64: {@link #assertConforms}
 * runs them all; each check is also public. Deterministic solvers must show their declared order
 * against a {@link ReferenceSolution} (two-sided, ±0.3) under VP and rectified flow and be exact on
 * straight trajectories; stochastic ones must be reproducible and their weak error must shrink with
 * steps. The order is measured on {@link ConvergenceStudy#of(Schedule)}'s default grid (uniform in
 * log-SNR from tMax to t = 0.03, 16–128 steps) unless a grid and step counts are given.
 */
public final class SolverConformance {
  private SolverConformance() {}

  /** Allowed gap between measured and declared order. */
  public static final double ORDER_TOLERANCE = 0.3;

  /** The VP schedule of the checks (β from 0.1 to 20). */
  public static Schedule vp() {
    return new VariancePreserving(0.1, 20);
  }

  /** The rectified-flow schedule of the checks. */
  public static Schedule rectifiedFlow() {
    return new RectifiedFlow();
  }

  /** Runs every applicable check, orders on the default grid and steps of {@link ConvergenceStudy}. */
  public static void assertConforms(Solver solver) {
    assertConforms(solver, ConvergenceStudy.logSnr(ConvergenceStudy.DEFAULT_T_END), ConvergenceStudy.DEFAULT_STEPS);
  }

  /** Runs every applicable check, measuring the order on {@code grid} at {@code steps}. */
  public static void assertConforms(Solver solver, TimeGrid grid, int... steps) {
    assertEvaluationCount(solver);
    assertStepIsPure(solver);
    assertBatchIndependent(solver);
    if (solver.traits().stochastic()) {
      assertReproducible(solver);
      assertWeakErrorShrinks(solver, vp());
      assertWeakErrorShrinks(solver, rectifiedFlow());
    } else {
      assertOrder(solver, ConvergenceStudy.of(vp(), grid), steps);
      assertOrder(solver, ConvergenceStudy.of(rectifiedFlow(), grid), steps);
      assertExactOnPointMass(solver);
    }
  }

  /** The fitted order on the default study of {@code schedule} matches the declared order within ±0.3. */
  public static ConvergenceStudy.Result assertOrder(Solver solver, Schedule schedule, int... steps) {
    return assertOrder(solver, ConvergenceStudy.of(schedule), steps);
  }

  /**
   * The fitted order of {@code study} at {@code steps} (default {@link ConvergenceStudy#DEFAULT_STEPS})
   * matches the declared order within ±0.3, in both directions: a method that converges faster
   * than it declares is as wrongly described as one that converges slower.
   */
  public static ConvergenceStudy.Result assertOrder(Solver solver, ConvergenceStudy study, int... steps) {
    ConvergenceStudy.Result r = steps.length == 0 ? study.run(solver) : study.run(solver, steps);
    assertThat(r.order())
        .as("order of %s on %s, grid %s:%n%s", solver, study.schedule(), study.grid(), r)
        .isCloseTo(solver.traits().order(), within(ORDER_TOLERANCE));
    return r;
  }

  /**
   * Model calls counted on the model equal the state's NFE and {@link Solver#evaluations(int)}
   * (on a grid ending at σ &gt; 0, where no solver has a reason to skip a call).
   */
  public static void assertEvaluationCount(Solver solver) {
    for (int steps : new int[] {1, 5}) {
      ConvergenceStudy.Run r = ConvergenceStudy.of(vp()).sample(solver, steps, 0, 4);
      assertThat(r.stateNfe())
          .as("%s called the model %d times over %d steps but its final SolverState.nfe() is %d; count every model"
              + " call in the evaluations argument of SolverState.next(...) in step(SamplingProblem, SolverState)",
              solver, r.calls(), steps, r.stateNfe())
          .isEqualTo(r.calls());
      assertThat(solver.evaluations(steps))
          .as("%s called the model %d times over %d steps but evaluations(%d) says %d; override evaluations(int)"
              + " (and traits().evaluationsPerStep()) to return the calls a run of that many steps makes",
              solver, r.calls(), steps, steps, solver.evaluations(steps))
          .isEqualTo(r.calls());
    }
    // a grid whose last point is data (σ = 0): the grid-aware count must still be exact
    ConvergenceStudy study = ConvergenceStudy.of(vp());
    double[] toData = {study.tStart(), 0.5, 0.1, 0.0};
    ConvergenceStudy.Run r = study.sample(solver, study.model(), toData, 0, 4);
    assertThat(r.stateNfe())
        .as("%s called the model %d times on a grid ending at σ = 0 but its final SolverState.nfe() is %d; count every"
            + " model call in SolverState.next(...)", solver, r.calls(), r.stateNfe())
        .isEqualTo(r.calls());
    assertThat(solver.evaluations(toData, study.schedule()))
        .as("%s called the model %d times on the grid %s (ending at σ = 0) but evaluations(times, schedule) says %d;"
            + " override evaluations(double[], Schedule) to count the calls on this grid (e.g. a last step to σ = 0"
            + " that skips a call)", solver, r.calls(), java.util.Arrays.toString(toData),
            solver.evaluations(toData, study.schedule()))
        .isEqualTo(r.calls());
  }

  /** Stepping twice from the same state (after two steps, so history exists) gives identical results. */
  public static void assertStepIsPure(Solver solver) {
    ConvergenceStudy study = ConvergenceStudy.of(rectifiedFlow());
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      SamplingProblem problem = new SamplingProblem(study.model(), study.schedule(), study.times(6),
          b.constant(study.initialState(0, 4), 4, 2), new ConstantNoise(study.seed(), 0));
      SolverState s2 = solver.step(problem, solver.step(problem, solver.init(problem)));
      SolverState a = solver.step(problem, s2);
      SolverState c = solver.step(problem, s2);
      assertThat(a.k()).isEqualTo(3).isEqualTo(c.k());
      assertThat(a.nfe()).isEqualTo(c.nfe());
      assertThat(a.history()).hasSameSizeAs(c.history());
      assertThat(fetch(s, a.x())).as("two steps from one state of %s", solver).containsExactly(fetch(s, c.x()));
    }
  }

  /**
   * Rows 8..15 of a batch of 32 equal the same samples run as a batch of 8, within 1e-12 relative:
   * the two runs are different computations (other tensor shapes), so float64 rounding may differ
   * by the CPU's instruction set (~1e-16 relative per operation, a few hundred operations here); a
   * solver whose rows depend on their batch (shared noise, a batch-wide norm) differs by far more.
   */
  public static void assertBatchIndependent(Solver solver) {
    ConvergenceStudy study = ConvergenceStudy.of(vp());
    double[] big = study.sample(solver, 6, 0, 32).x();
    double[] small = study.sample(solver, 6, 8, 8).x();
    for (int i = 0; i < small.length; i++) {
      assertThat(small[i]).as("value %d of %s, batch 8 vs 32", i, solver)
          .isCloseTo(big[16 + i], within(1e-12 * (1 + Math.abs(big[16 + i]))));
    }
  }

  /** Two runs with one seed agree exactly; another seed changes the result. */
  public static void assertReproducible(Solver solver) {
    ConvergenceStudy study = ConvergenceStudy.of(vp());
    double[] a = study.sample(solver, 6, 0, 8).x();
    double[] b = study.sample(solver, 6, 0, 8).x();
    assertThat(a).containsExactly(b);
    ConvergenceStudy other = study.withSeed(study.seed() + 1);
    assertThat(other.sample(solver, 6, 0, 8).x()).isNotEqualTo(a);
  }

  /** Samples of the weak-error check; the Monte-Carlo floor of the moment error is about 0.03. */
  public static final int WEAK_ROWS = 20_000;

  /**
   * Weak error (moments of {@link #WEAK_ROWS} samples against the exact marginal at the end time),
   * on a grid uniform in t from tMax to 0.03, at 64 steps is below half that at 8 steps and below
   * 0.1. (Uniform in t because ancestral samplers discard Var[x0 | x_s] at every step and the
   * λ-uniform grid spends more steps near tMax, where that costs nothing, and fewer near the end:
   * under rectified flow DDPM's weak error at 64 steps is 0.05 on the uniform grid, 0.14 on the λ one.) (a weak-order-1 method gains about 8×
   * until it meets the Monte-Carlo floor).
   *
   * @return the errors at 8 and 64 steps
   */
  public static double[] assertWeakErrorShrinks(Solver solver, Schedule schedule) {
    ConvergenceStudy study = ConvergenceStudy.of(schedule, ConvergenceStudy.uniform(ConvergenceStudy.DEFAULT_T_END));
    double coarse = study.weakError(solver, 8, WEAK_ROWS);
    double fine = study.weakError(solver, 64, WEAK_ROWS);
    assertThat(fine).as("weak error of %s on %s at 64 steps vs 8 steps (%s)", solver, schedule, coarse)
        .isLessThan(coarse / 2).isLessThan(0.1);
    return new double[] {coarse, fine};
  }

  /**
   * Point-mass data under rectified flow: every trajectory x_t = (1 − t) p + t ε is a straight line
   * at constant speed, so any consistent deterministic solver is exact (seed 003 Ex. 9) with 1 or 3
   * steps, from tMax = 1 − 10⁻⁴ to 0.03.
   *
   * <p>"Exact" means up to rounding, and rounding is amplified by the problem, not by the method's
   * error: from tMax the path passes through quantities of size ‖x‖/α ≈ 10⁴ (α = 10⁻⁴), e.g. y = x/α
   * or e^h ε̂ with h ≈ 12.7, which cancel down to an O(1) result. The tolerance is therefore
   * {@link #ROUNDING} times κ = ρ(t_start)/ρ(t_end), ρ = σ/α, the factor by which a relative
   * perturbation at the start grows on the way (κ ≈ 3·10⁵ here, tolerance ≈ 3·10⁻⁷ on values of
   * order 1). A method that is not exact misses by O(1) (e.g. Euler under VP, 0.1–1).
   */
  public static void assertExactOnPointMass(Solver solver) {
    double[] p = {0.7, -0.4};
    PointCloud data = new PointCloud(new double[][] {p});
    Schedule rf = rectifiedFlow();
    Denoiser model = (x, pt) -> data.denoiser(rf).predict(x, pt, Condition.none());
    double t0 = rf.tMax();
    double t1 = ConvergenceStudy.DEFAULT_T_END;
    double[] eps = ConvergenceStudy.of(rf).gaussianRows(0, 4);
    double[] x0 = new double[8];
    double[] exact = new double[8];
    for (int i = 0; i < 8; i++) {
      x0[i] = (1 - t0) * p[i % 2] + t0 * eps[i];
      exact[i] = (1 - t1) * p[i % 2] + t1 * eps[i];
    }
    for (int steps : new int[] {1, 3}) {
      double[] times = new double[steps + 1];
      for (int k = 0; k <= steps; k++) {
        times[k] = t0 + (t1 - t0) * k / steps;
      }
      try (Graph g = new Graph(); Session s = new Session(g)) {
        Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
        SamplingProblem problem = new SamplingProblem(model, rf, times, b.constant(x0, 4, 2), new ConstantNoise(0, 0));
        double[] got = fetch(s, solver.sample(problem));
        double kappa = rf.sigmaOverAlpha(t0) / rf.sigmaOverAlpha(t1);
        for (int i = 0; i < 8; i++) {
          assertThat(got[i]).as("%s, %d steps, point-mass rectified flow (tolerance %.1e·κ, κ = %.3g)", solver, steps, ROUNDING, kappa)
              .isCloseTo(exact[i], within(ROUNDING * kappa * (1 + Math.abs(exact[i]))));
        }
      }
    }
  }

  /** Relative rounding allowed per unit of conditioning κ in {@link #assertExactOnPointMass}: about 4500 ulps. */
  public static final double ROUNDING = 1e-12;

  /** Row-major values of a [B, d] float64 tensor. */
  public static double[] fetch(Session s, Tensor x) {
    try (TFloat64 out = (TFloat64) s.runner().fetch(x.op()).run().get(0)) {
      int rows = (int) out.shape().get(0);
      int cols = (int) out.shape().get(1);
      double[] v = new double[rows * cols];
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          v[i * cols + j] = out.getDouble(i, j);
        }
      }
      return v;
    }
  }
}
