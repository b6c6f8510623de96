package org.diffuse4j.solvers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.diffuse4j.testkit.SolverConformance;
import org.junit.jupiter.api.Test;

/** {@code heunpp2} (ComfyUI's Heun++ 2) through the conformance kit, without and with churn (reference numbers: ComfyReferenceTest). */
class HeunPlusPlus2Test {

  @Test
  void conformsAtOrderOne() {
    HeunPlusPlus2 solver = new HeunPlusPlus2();
    assertThat(solver.evaluations(1)).isEqualTo(1);
    assertThat(solver.evaluations(5)).isEqualTo(12);
    SolverConformance.assertConforms(solver);  // measures the order on VP and RF at 16-128 steps
  }

  /** With ComfyUI's churn it is a stochastic sampler: reproducible, weak error shrinking on VP and RF (kit). */
  @Test
  void withChurnConformsAsAStochasticSampler() {
    HeunPlusPlus2 solver = new HeunPlusPlus2(10, 0, Double.POSITIVE_INFINITY, 1);
    assertThat(solver.traits().stochastic()).isTrue();
    assertThat(solver.evaluations(5)).isEqualTo(12);
    SolverConformance.assertEvaluationCount(solver);
    SolverConformance.assertStepIsPure(solver);
    SolverConformance.assertBatchIndependent(solver);
    SolverConformance.assertReproducible(solver);
    SolverConformance.assertWeakErrorShrinks(solver, SolverConformance.vp());
    SolverConformance.assertWeakErrorShrinks(solver, SolverConformance.rectifiedFlow());
  }

  @Test
  void badChurnNamesTheKeys() {
    assertThatThrownBy(() -> new HeunPlusPlus2(-1, 0, 1, 1)).hasMessageContaining("heunpp2").hasMessageContaining("s_churn");
    assertThatThrownBy(() -> new HeunPlusPlus2(1, 2, 1, 1)).hasMessageContaining("s_tmin <= s_tmax");
  }
}
