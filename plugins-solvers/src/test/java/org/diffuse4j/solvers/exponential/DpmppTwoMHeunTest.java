package org.diffuse4j.solvers.exponential;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.analytic.ConvergenceStudy;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.testkit.SolverConformance;
import org.junit.jupiter.api.Test;

/** The Heun variant of {@code dpmpp-2m-sde} (k-diffusion {@code solver_type='heun'}). */
class DpmppTwoMHeunTest {

  /**
   * With η = 0 its coefficient (1 − (1 − e^{−h})/h)/r is the exact integral of the linear
   * interpolant in λ, which {@code res-multistep} computes through φ₁, φ₂ and Lagrange weights.
   */
  @Test
  void withoutNoiseItIsTheExactLinearInterpolantIntegral() {
    double[] times = ConvergenceStudy.logSnr(0.03).times(SolverConformance.vp(), 20);
    double[] x = Harness.noise(8, 2);
    for (int i = 0; i < x.length; i++) {
      x[i] *= SolverConformance.vp().sigma(times[0]);
    }
    Solver heun = Catalogue.make("dpmpp-2m-sde", Map.of("eta", 0.0, "solver_type", "heun"));
    Solver res = Catalogue.make("res-multistep", Map.of());
    GaussianMixture gm = GaussianMixture.standard2d();
    double[] a = Harness.run(heun, SolverConformance.vp(), times, gm, x, 0).x();
    double[] b = Harness.run(res, SolverConformance.vp(), times, gm, x, 0).x();
    assertThat(Harness.rms(a, b)).isLessThan(1e-10);
    double[] mid = Harness.run(new DpmppTwoM(0), SolverConformance.vp(), times, gm, x, 0).x();
    assertThat(Harness.rms(a, mid)).as("heun differs from midpoint").isGreaterThan(1e-6);
  }

  @Test
  void withNoiseItConforms() {
    SolverConformance.assertConforms(Catalogue.make("dpmpp-2m-sde", Map.of("solver_type", "heun")));
  }
}
