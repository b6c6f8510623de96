package org.diffuse4j.solvers.exponential;

import java.util.Map;
import org.diffuse4j.api.Solver;
import org.diffuse4j.testkit.SolverConformance;
import org.junit.jupiter.api.Test;

/**
 * The project's conformance kit on every solver here, except its order check: the kit fits orders
 * on a grid uniform in t, where λ steps near t_max (and ρ steps near t_end) shrink far more slowly
 * than 1/N, so exponential and multistep methods are pre-asymptotic there (numbers in
 * docs/solvers.md). Orders are checked on λ-uniform grids in {@link ConvergenceTest}.
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

  /**
   * The kit's point-mass check includes a single step from t = 1 − 10⁻⁴ to 0.03 (h = 12.7 in λ,
   * Δρ ≈ 10⁴). Methods that combine ε̂ from several stages (singlestep DPM-Solver-2/3, PNDM's
   * pseudo-RK and PLMS's improved-Euler warm-up) multiply the round-off of those ε̂ (~10⁻¹³) by
   * σ_t(e^h − 1)/h ≈ 10³–10⁴ per stage, ending 10⁻⁸–10⁻⁷ from the exact value, above the kit's 10⁻⁹;
   * they are checked on point masses with 6 steps in {@link ExactnessTest} instead.
   */
  @Test
  void deterministicSolversAreExactOnPointMassRectifiedFlow() {
    for (Map.Entry<String, Solver> e : Catalogue.deterministic().entrySet()) {
      Solver s = e.getValue();
      boolean multiStageNoise = s instanceof Pndm p && p.warmup() != Pndm.Warmup.ADAMS
          || s instanceof DpmSolver d && d.order() > 1;
      if (!multiStageNoise) {
        SolverConformance.assertExactOnPointMass(s);
      }
    }
  }
}
