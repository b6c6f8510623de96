package org.diffuse4j.solvers.exponential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.diffuse4j.api.analytic.ConvergenceStudy;
import org.diffuse4j.testkit.SolverConformance;
import org.junit.jupiter.api.Test;

/**
 * {@code unipc}'s default {@code lower_order_final: true} with its step-ratio guard (N ≥ 10): on the
 * t-uniform VP grid of {@link ReferenceParityTest} (t = 1 → 10⁻³, the official code's 16 rows),
 * order 3 at 50 steps was 8.2e-2 from the exact end point against 4.9e-3 with UniPC's own rule
 * ({@code always}); the last λ steps there are 0.59 then 2.04 (ratio 3.5, the one before 1.6), so the
 * guard picks UniPC's orders for the last two steps and the errors are equal. Measured (VP, 10 / 20 /
 * 50 / 100 / 200 / 400 / 800 steps): before 2.97, 1.11, 8.2e-2, 1.7e-2, 2.8e-3, 3.8e-4, 4.4e-5; now 0.147,
 * 5.7e-2, 4.9e-3, 1.5e-3, 5.6e-4, 1.9e-4, 3.4e-5; UniPC's rule 0.118, 5.7e-2, 4.9e-3, 1.5e-3, 5.6e-4,
 * 1.9e-4, 6.0e-5 (RF: equal to UniPC's rule at 20-400, 5.4e-6 against 2.3e-6 at 800).
 */
class UniPcStepRatioTest {

  /** RMS distance of the study's rows to the exact end point. */
  static double error(ConvergenceStudy study, Map<String, Object> options, int steps) {
    return study.rms(study.sample(Catalogue.make("unipc", options), steps, 0, study.rows()).x(), study.reference());
  }

  @Test
  void closesTheGapToUniPcsRuleOnATimeUniformGrid() {
    ConvergenceStudy study = ConvergenceStudy.of(SolverConformance.vp(), ConvergenceStudy.uniform(ReferenceParityTest.T_END))
        .withInit(OfficialNumbers.X);
    double ours = error(study, Map.of("order", 3), 50);
    double uniPc = error(study, Map.of("order", 3, "lower_order_final", "always"), 50);
    double never = error(study, Map.of("order", 3, "lower_order_final", false), 50);
    System.out.printf("unipc order 3, t-uniform VP, 50 steps: %.3g (true), %.3g (always), %.3g (false)%n", ours, uniPc, never);
    assertThat(ours).isCloseTo(uniPc, within(1e-12)).isLessThan(5e-3);
    assertThat(never).isGreaterThan(5e-2);
  }

  /** On a λ-uniform grid every ratio is 1: the guard never acts (the asymptotic order is the kit's). */
  @Test
  void neverActsOnALambdaUniformGrid() {
    ConvergenceStudy study = ConvergenceStudy.of(SolverConformance.vp()).withRows(4);
    assertThat(error(study, Map.of("order", 3), 20))
        .isEqualTo(error(study, Map.of("order", 3, "lower_order_final", false), 20));
  }

  @Test
  void thresholds() {
    assertThat(UniPc.stepRatioCap(3, 1.0)).isEqualTo(3);
    assertThat(UniPc.stepRatioCap(3, 1.39)).isEqualTo(3);
    assertThat(UniPc.stepRatioCap(3, 1.6)).isEqualTo(2);
    assertThat(UniPc.stepRatioCap(1, 1.6)).isEqualTo(1);
    assertThat(UniPc.stepRatioCap(3, 3.5)).isEqualTo(1);
  }
}
