package org.diffuse4j.solvers.exponential;

import java.util.Map;
import org.diffuse4j.api.Solver;
import org.diffuse4j.testkit.SolverConformance;
import org.junit.jupiter.api.Test;

/**
 * The project's conformance kit on every solver here; its order check, shared with the Runge–Kutta
 * family, is in {@code org.diffuse4j.solvers.OrderTest}.
 */
class KitConformanceTest {

  @Test
  void everySolverPassesTheKitsContractChecks() {
    for (Map.Entry<String, Solver> e : Catalogue.all().entrySet()) {
      Solver s = e.getValue();
      SolverConformance.assertEvaluationCount(s);
      SolverConformance.assertStepIsPure(s);
      SolverConformance.assertBatchIndependent(s);
      if (s.traits().stochastic()) {
        SolverConformance.assertReproducible(s);
        SolverConformance.assertWeakErrorShrinks(s, SolverConformance.vp());
        SolverConformance.assertWeakErrorShrinks(s, SolverConformance.rectifiedFlow());
      }
    }
  }

  /** The kit's one- and three-step point-mass check, for every deterministic solver (no exceptions). */
  @Test
  void deterministicSolversAreExactOnPointMassRectifiedFlow() {
    for (Solver s : Catalogue.deterministic().values()) {
      SolverConformance.assertExactOnPointMass(s);
    }
  }
}
