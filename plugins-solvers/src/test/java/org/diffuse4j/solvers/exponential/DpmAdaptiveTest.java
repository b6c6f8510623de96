package org.diffuse4j.solvers.exponential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.analytic.ConvergenceStudy;
import org.diffuse4j.testkit.SolverConformance;
import org.junit.jupiter.api.Test;

/**
 * {@code dpm-adaptive} in graph mode: the error following the tolerance and numbers from
 * k-diffusion's {@code dpm_solver_adaptive} algorithm written in plain Python (Debian python3,
 * float64, one row at a time as a batch of one, exact t(λ) by bisection) on ComfyReferenceTest's
 * 1-D Gaussian under VP, one grid interval t = 0.9 → 0.05. The kit's contract checks (call count,
 * purity, rows independent of their batch, exact on point masses) run in {@link KitConformanceTest}.
 */
class DpmAdaptiveTest {

  static double[] run(Solver solver) {
    return Harness.run(solver, SolverConformance.vp(), new double[] {0.9, 0.05}, ComfyReferenceTest.GAUSSIAN,
        ComfyReferenceTest.X, ComfyReferenceTest.SINE).x();
  }

  @Test
  void matchesKDiffusionsAlgorithmRowByRow() {
    // k-diffusion's defaults (order 3, rtol 0.05, atol 0.0078, h_init 0.05): 10, 6 and 10 trials for the three rows
    assertThat(run(Catalogue.make("dpm-adaptive", Map.of())))
        .containsExactly(new double[] {-0.5880238712435132, 0.6536950292290493, 2.250254221764635}, within(1e-10));
    // DPM-Solver-12 at rtol 1e-3, atol 1e-4: 42, 26 and 34 trials
    Solver twelve = Catalogue.make("dpm-adaptive", Map.of("order", 2, "rtol", 1e-3, "atol", 1e-4, "max_trials", 48));
    assertThat(run(twelve))
        .containsExactly(new double[] {-0.5641869307083265, 0.6475289252966119, 2.1824175227049483}, within(1e-10));
  }

  /**
   * The error against the exact ODE solution falls with the tolerance (one interval, tMax → 0.03, VP:
   * 9.9e-4 at 1e-3, 9.8e-6 at 1e-5; under RF, with 128 trials, 4.8e-3 and 9.9e-6).
   */
  @Test
  void errorFollowsTheTolerance() {
    for (var schedule : new org.diffuse4j.api.Schedule[] {SolverConformance.vp()}) {
      ConvergenceStudy study = ConvergenceStudy.of(schedule).withRows(8);
      double[] err = new double[2];
      double[] tol = {1e-3, 1e-5};
      for (int i = 0; i < 2; i++) {
        Solver s = Catalogue.make("dpm-adaptive", Map.of("rtol", tol[i], "atol", tol[i], "max_trials", 64));
        err[i] = study.rms(study.sample(s, 1, 0, 8).x(), study.reference());
      }
      System.out.printf("dpm-adaptive %s: error %.3g at tol 1e-3, %.3g at tol 1e-5%n", schedule, err[0], err[1]);
      assertThat(err[1]).isLessThan(err[0] / 10).isLessThan(1e-3);
    }
  }

  /**
   * The runtime samples in float32: the table, gathers and casts build and run. The result agrees
   * with float64 at the level of the method's own tolerance (rtol 0.05), not of float32 rounding:
   * rounding can move a trial's error across the accept threshold and so change the steps (seen:
   * 2.6e-4 on the first row).
   */
  @Test
  void runsInFloat32() {
    Solver solver = Catalogue.make("dpm-adaptive", Map.of());
    double[] f64 = run(solver);
    try (org.tensorflow.Graph g = new org.tensorflow.Graph(); org.tensorflow.Session s = new org.tensorflow.Session(g)) {
      var b = new org.diffuse4j.api.tensor.Backend(org.tensorflow.op.Ops.create(g), org.diffuse4j.api.tensor.Precision.FLOAT32);
      var cd = ComfyReferenceTest.GAUSSIAN.denoiser(SolverConformance.vp());
      org.diffuse4j.api.Denoiser model = (xx, p) -> cd.predict(xx, p, org.diffuse4j.api.Condition.none());
      var problem = new org.diffuse4j.api.SamplingProblem(model, SolverConformance.vp(), new double[] {0.9, 0.05},
          b.constant(ComfyReferenceTest.X, 3, 1), ComfyReferenceTest.SINE);
      try (var out = (org.tensorflow.types.TFloat32) s.runner().fetch(solver.sample(problem).op()).run().get(0)) {
        for (int i = 0; i < 3; i++) {
          assertThat((double) out.getFloat(i, 0)).isCloseTo(f64[i], within(2e-3));
        }
      }
    }
  }

  @Test
  void badSettingsNameTheCause() {
    assertThatThrownBy(() -> new DpmAdaptive(4, 0.05, 0.0078, 0.05, 16)).hasMessageContaining("order must be 2 or 3");
  }
}
