package org.diffuse4j.solvers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.diffuse4j.testkit.SolverConformance;
import org.junit.jupiter.api.Test;

/** {@code dpm-2} (order 2) and {@code dpm-2-ancestral} (weak order 1) through the conformance kit. */
class Dpm2Test {

  @Test
  void dpm2ConformsAtOrderTwo() {
    Dpm2 solver = new Dpm2(0, 1);
    assertThat(solver.traits().order()).isEqualTo(2);
    SolverConformance.assertConforms(solver);
    System.out.printf("order dpm-2 VP %.2f RF %.2f (16-128)%n",
        SolverConformance.assertOrder(solver, SolverConformance.vp(), 16, 32, 64, 128).order(),
        SolverConformance.assertOrder(solver, SolverConformance.rectifiedFlow(), 16, 32, 64, 128).order());
  }

  @Test
  void dpm2AncestralConforms() {
    Dpm2 solver = new Dpm2(1, 1);
    assertThat(solver.traits().stochastic()).isTrue();
    SolverConformance.assertConforms(solver);
    double[] vp = SolverConformance.assertWeakErrorShrinks(solver, SolverConformance.vp());
    double[] rf = SolverConformance.assertWeakErrorShrinks(solver, SolverConformance.rectifiedFlow());
    System.out.printf("weak dpm-2-ancestral VP %s RF %s%n", java.util.Arrays.toString(vp), java.util.Arrays.toString(rf));
  }

  @Test
  void badSettingsNameTheCause() {
    assertThatThrownBy(() -> new Dpm2(-1, 1)).hasMessageContaining("eta >= 0");
  }
}
