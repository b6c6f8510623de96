package org.diffuse4j.solvers;

import static org.assertj.core.api.Assertions.assertThat;

import org.diffuse4j.testkit.SolverConformance;
import org.junit.jupiter.api.Test;

/** {@code heunpp2} (ComfyUI's Heun++ 2) through the conformance kit and against reference numbers. */
class HeunPlusPlus2Test {

  @Test
  void conformsAtOrderOne() {
    HeunPlusPlus2 solver = new HeunPlusPlus2();
    assertThat(solver.evaluations(1)).isEqualTo(1);
    assertThat(solver.evaluations(5)).isEqualTo(12);
    SolverConformance.assertConforms(solver);  // measures the order on VP and RF at 16-128 steps
  }
}
