package org.diffuse4j.solvers.exponential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.analytic.ConvergenceStudy;
import org.diffuse4j.testkit.SolverConformance;
import org.junit.jupiter.api.Test;

/**
 * {@code sa-solver} at τ = 0 with ComfyUI's orders (predictor 3, corrector 4) is fourth order, as
 * declared: the order measured at 64–256 steps (3.46 VP / 2.95 RF) was pre-asymptotic.
 *
 * <p>Evidence 1: ComfyUI's own {@code sample_sa_solver} (comfy/k_diffusion/sampling.py at 02159d8,
 * sa_solver.py at 4328fa8), run outside the project (torch float64, k-diffusion's σ/α chart, τ = 0),
 * on 1-D Gaussian data N(0.5, 0.8²), whose probability-flow ODE is solved in closed form
 * (y − μ ∝ √(s² + ρ²), y = x/α, ρ = σ/α), on the λ-uniform grid from tMax to 0.03: error 9.7e-6,
 * 7.1e-7, 5.5e-8, 3.8e-9, 2.4e-10 at 16–256 steps under VP (successive orders 3.77, 3.68, 3.88, 3.95)
 * and 1.6e-7, 1.7e-8, 4.4e-9, 3.8e-10, 2.6e-11 under RF (3.25, 1.97, 3.54, 3.83). The project's
 * end points equal ComfyUI's there. Evidence 2: on the kit's mixture the successive orders keep
 * rising: 3.19, 3.19, 3.73, 3.89 (VP) and 5.4, 2.54, 3.37, 3.78 (RF) over 32–512 steps.
 */
class SaSolverOrderTest {

  static final double[] Y = {-1.3, 0.2, 2.1};

  /** ComfyUI's end points x at t = 0.03 from x = α(tMax)·Y, VP and RF, at 16 and 64 steps. */
  static final double[][] COMFY_VP = {
      {0.4875379163124934, 0.49543979009780675, 0.5054488302258705},
      {0.4875255017007586, 0.49543772099585076, 0.5054598654363014}};
  static final double[][] COMFY_RF = {
      {0.4848604111762203, 0.4849767351960363, 0.4851240789544698},
      {0.4848602072945693, 0.48497670121576153, 0.4851242601826052}};
  static final int[] STEPS = {16, 64};

  static double[] run(Schedule s, int steps) {
    ConvergenceStudy grid = ConvergenceStudy.of(s);
    double a0 = s.alpha(grid.tStart());
    double[] x = new double[3];
    for (int i = 0; i < 3; i++) {
      x[i] = a0 * Y[i];
    }
    return Harness.run(Catalogue.make("sa-solver", Map.of("tau", 0.0)), s, grid.times(steps), ComfyReferenceTest.GAUSSIAN, x,
        ComfyReferenceTest.SINE).x();
  }

  @Test
  void equalsComfyUisSaSolverOnAGaussian() {
    for (int n = 0; n < STEPS.length; n++) {
      assertThat(run(SolverConformance.vp(), STEPS[n])).as("VP %d steps", STEPS[n]).containsExactly(COMFY_VP[n], within(1e-10));
      assertThat(run(SolverConformance.rectifiedFlow(), STEPS[n])).as("RF %d steps", STEPS[n])
          .containsExactly(COMFY_RF[n], within(1e-10));
    }
  }

  /** On the kit's mixture (4 rows), 256 → 512 steps: 3.97 (VP), 3.99 (RF); with the kit's 16 rows 3.89 / 3.78. */
  @Test
  void isFourthOrderOnceAsymptotic() {
    Solver sa = Catalogue.make("sa-solver", Map.of("tau", 0.0));
    assertThat(sa.traits().order()).isEqualTo(4);
    for (Schedule s : new Schedule[] {SolverConformance.vp(), SolverConformance.rectifiedFlow()}) {
      ConvergenceStudy.Result r = ConvergenceStudy.of(s).withRows(4).run(sa, 256, 512);
      System.out.printf("sa-solver tau=0 on %s:%n%s%n", s, r);
      assertThat(r.order()).as("%s", s).isCloseTo(4, within(0.3));
    }
  }
}
