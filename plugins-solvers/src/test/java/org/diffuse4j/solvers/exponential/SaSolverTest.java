package org.diffuse4j.solvers.exponential;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.analytic.ConvergenceStudy;
import org.diffuse4j.testkit.SolverConformance;
import org.junit.jupiter.api.Test;

/**
 * {@code sa-solver} with τ = 0 (the ODE): predictor order 2 + corrector order 3 measures order 3
 * (VP 3.12, RF 2.97 at 32–128 steps on the kit's λ grid). The stochastic defaults go through the
 * kit's weak-error check in {@link KitConformanceTest}, as {@code er-sde} does.
 */
class SaSolverTest {

  @Test
  void withoutNoiseItHasThePredictorCorrectorOrder() {
    Solver solver = Catalogue.make("sa-solver", Map.of("tau", 0.0, "predictor_order", 2, "corrector_order", 3));
    assertThat(solver.traits().order()).isEqualTo(3);
    assertThat(solver.traits().stochastic()).isFalse();
    SolverConformance.assertConforms(solver, ConvergenceStudy.logSnr(ConvergenceStudy.DEFAULT_T_END), 32, 64, 128);
  }

  /** PECE (ComfyUI's sa_solver_pece) keeps the order of the pair (measured 3.09 under VP at 32–128 steps), at 2N − 1 calls. */
  @Test
  void peceWithoutNoiseHasThePairsOrder() {
    Solver solver = Catalogue.make("sa-solver", Map.of("tau", 0.0, "predictor_order", 2, "corrector_order", 3, "use_pece", true));
    assertThat(solver.evaluations(10)).isEqualTo(19);
    double vp = SolverConformance.assertOrder(solver, ConvergenceStudy.of(SolverConformance.vp()), 32, 64, 128).order();
    System.out.printf("order sa-solver tau=0 p2 c3 pece: declared %.0f, VP %.2f%n", solver.traits().order(), vp);
  }

  /** The paper's simple coefficients (App. D) with two outputs in predictor and corrector: second order. */
  @Test
  void simpleOrder2IsSecondOrder() {
    Solver solver = Catalogue.make("sa-solver", Map.of("tau", 0.0, "predictor_order", 2, "corrector_order", 2, "simple_order_2", true));
    double vp = SolverConformance.assertOrder(solver, ConvergenceStudy.of(SolverConformance.vp()), 32, 64, 128).order();
    System.out.printf("order sa-solver tau=0 p2 c2 simple_order_2: declared %.0f, VP %.2f%n", solver.traits().order(), vp);
  }

  @Test
  void badSettingsNameTheCause() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SaSolver(3, 4, 1, 0.8, 0.2, 1))
        .hasMessageContaining("tau_t_min <= tau_t_max");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ErSde(1, 4)).hasMessageContaining("max_stage");
  }
}
