package org.diffuse4j.solvers.exponential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.diffuse4j.api.NoiseSource;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.solvers.HeunPlusPlus2;
import org.diffuse4j.testkit.SolverConformance;
import org.junit.jupiter.api.Test;

/**
 * {@code heunpp2}, {@code er-sde} and {@code sa-solver} against numbers computed outside the project:
 * the published algorithms (ComfyUI's sample_heunpp2, sample_er_sde, sample_sa_solver, read as
 * maths) written in plain Python (Debian python3, float64, integrals by composite Simpson) on 1-D
 * Gaussian data N(0.5, 0.8²) under VP (β 0.1 → 20), grid t = 0.9, 0.7, 0.5, 0.35, 0.2, 0.1, 0.05,
 * from x = −1.3, 0.2, 2.1. Every entry of noise draw j is sin(j), so the stochastic ones are reproducible there.
 */
class ComfyReferenceTest {
  static final double[] TIMES = {0.9, 0.7, 0.5, 0.35, 0.2, 0.1, 0.05};
  static final double[] X = {-1.3, 0.2, 2.1};
  static final GaussianMixture GAUSSIAN = new GaussianMixture(new double[][] {{0.5}}, new double[] {0.8}, new double[] {1});
  static final NoiseSource SINE = (stream, like) -> like.zerosLike().plus(Math.sin(stream));

  static double[] run(org.diffuse4j.api.Solver solver) {
    return Harness.run(solver, SolverConformance.vp(), TIMES, GAUSSIAN, X, SINE).x();
  }

  @Test
  void heunpp2MatchesTheReference() {
    assertThat(run(new HeunPlusPlus2()))
        .containsExactly(new double[] {-0.39519531733001767, 0.6225157326901485, 1.9116163960490258}, within(1e-10));
  }

  @Test
  void erSdeMatchesTheReferenceWithExactIntegrals() {
    assertThat(run(Catalogue.make("er-sde", Map.of())))
        .containsExactly(new double[] {0.7418759493195974, 1.0959655965344348, 1.544479149673227}, within(1e-10));
    // ComfyUI's 200-point left Riemann sums for S₁, S₂ move the result by ~5e-4 on this grid
    double[] riemann = {0.7417939645398532, 1.0957128952644204, 1.5440102075155389};
    double[] ours = run(Catalogue.make("er-sde", Map.of()));
    for (int i = 0; i < 3; i++) {
      assertThat(Math.abs(ours[i] - riemann[i])).isBetween(1e-5, 1e-3);
    }
  }

  @Test
  void saSolverMatchesTheReference() {
    assertThat(run(Catalogue.make("sa-solver", Map.of())))
        .containsExactly(new double[] {0.29369047319794206, 0.31578161687814216, 0.3437637322063956}, within(1e-10));
    assertThat(run(Catalogue.make("sa-solver", Map.of("tau", 0.0))))
        .containsExactly(new double[] {-0.6043319660222902, 0.6531233690531364, 2.2459001268153433}, within(1e-10));
  }

  /*
   * ComfyUI's own sample_heunpp2 and sample_sa_solver (comfy/k_diffusion/sampling.py at 02159d8,
   * sa_solver.py at 4328fa8), run outside the project on the problem above in k-diffusion's chart
   * (y = x/α, σ = σ/α; the tau interval from σ(0.8) to σ(0.2); step k's noise sin(k + 1)), torch
   * 1.13 float64. The same harness reproduces the numbers of the tests above to 10⁻¹⁵.
   */

  @Test
  void heunpp2WithChurnMatchesComfyUi() {
    // σ/α on the grid: 58.8, 11.8, 3.41, 1.58, 0.720, 0.340, 0.174: steps 1-4 are churned (γ = 1.5/6 = 0.25)
    Solver solver = new HeunPlusPlus2(1.5, 0.5, 20, 1.1);
    assertThat(solver.traits().stochastic()).isTrue();
    Harness.Run r = Harness.run(solver, SolverConformance.vp(), TIMES, GAUSSIAN, X, SINE);
    assertThat(r.x()).containsExactly(new double[] {-0.23889098439042927, 0.20744169430253295, 0.7727964206469519}, within(1e-10));
    assertThat(r.nfe()).isEqualTo(15);
  }

  @Test
  void saSolverPeceMatchesComfyUi() {
    Harness.Run pece = Harness.run(Catalogue.make("sa-solver", Map.of("use_pece", true)), SolverConformance.vp(), TIMES, GAUSSIAN, X, SINE);
    assertThat(pece.x()).containsExactly(new double[] {0.3475721468489569, 0.370161899124214, 0.39877558533954}, within(1e-10));
    assertThat(pece.nfe()).isEqualTo(11);
    assertThat(run(Catalogue.make("sa-solver", Map.of("use_pece", true, "tau", 0.0))))
        .containsExactly(new double[] {-0.5791254617484969, 0.6494343383566099, 2.2056100851564104}, within(1e-10));
    // a grid ending at σ = 0: the orders drop on the last steps and the corrector runs before the read-out
    double[] toZero = java.util.Arrays.copyOf(TIMES, TIMES.length + 1);
    Harness.Run zero = Harness.run(Catalogue.make("sa-solver", Map.of("use_pece", true)), SolverConformance.vp(), toZero, GAUSSIAN, X, SINE);
    assertThat(zero.x()).containsExactly(new double[] {0.3587787804338566, 0.3798439307195884, 0.4065264544148488}, within(1e-10));
    assertThat(zero.nfe()).isEqualTo(13);
  }

  @Test
  void saSolverSimpleOrder2MatchesComfyUi() {
    assertThat(run(Catalogue.make("sa-solver", Map.of("predictor_order", 2, "corrector_order", 2, "simple_order_2", true))))
        .containsExactly(new double[] {0.27900233688310666, 0.3009230055842504, 0.3286891859390325}, within(1e-10));
    assertThat(run(Catalogue.make("sa-solver",
            Map.of("predictor_order", 2, "corrector_order", 3, "simple_order_2", true, "use_pece", true, "tau", 0.0))))
        .containsExactly(new double[] {-0.6070546317441202, 0.6535218375323469, 2.2502520319492056}, within(1e-10));
  }
}
