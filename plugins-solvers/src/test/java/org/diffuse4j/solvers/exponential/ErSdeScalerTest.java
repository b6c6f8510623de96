package org.diffuse4j.solvers.exponential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code er-sde}'s noise scalers Φ (Cui et al., "Elucidating the solution space of extended
 * reverse-time SDE", App. A.8; the official code's {@code customized_func} types 1-7) against the
 * paper's VP ER-SDE-Solver-3 written out in plain Python (float64, S₁ and S₂ by scipy's quad to 10⁻¹³)
 * on ComfyReferenceTest's problem (1-D Gaussian under VP, six steps, noise draw j = sin(j)). The
 * official code ({@code vp_3_order_taylor}, run outside the project with its noise draws set the same
 * way) differs from these by 0.6-1.5·10⁻³ with its 100-point left Riemann sums and by 0.6-1.5·10⁻⁷ with
 * 10⁶ points, so the difference is its quadrature.
 */
class ErSdeScalerTest {

  static final Map<String, double[]> PAPER = Map.of(
      "ode", new double[] {-0.4728014434463294, 0.6338735702693636, 2.0356619209759073},
      "sde", new double[] {0.039863041986985724, 0.05670116220194538, 0.07802944780756046},
      "sde-1", new double[] {-0.3885991622768935, 0.651017877075128, 1.9678661269210225},
      "sde-2", new double[] {0.2747140628045255, 0.40926760687664526, 0.5797020960346635},
      "sde-3", new double[] {-0.10862390005527958, -0.10656450867218947, -0.10395594625360877},
      "sde-4", new double[] {-0.10671756567831858, 0.5598593894262236, 1.404190199225311},
      "sde-5", new double[] {0.7418759493195977, 1.0959655965344346, 1.5444791496732273});

  @Test
  void everyScalerMatchesThePapersFormula() {
    PAPER.forEach((name, expected) -> assertThat(ComfyReferenceTest.run(Catalogue.make("er-sde", Map.of("noise_scaler", name))))
        .as(name).containsExactly(expected, within(1e-10)));
  }

  /** Φ(ρ) = ρ injects no noise: deterministic, and at stage 1 it is DDIM. */
  @Test
  void odeScalerIsDeterministicAndDdimAtStageOne() {
    var ode = Catalogue.make("er-sde", Map.of("noise_scaler", "ode", "max_stage", 1));
    assertThat(ode.traits().stochastic()).isFalse();
    assertThat(ComfyReferenceTest.run(ode)).containsExactly(ComfyReferenceTest.run(Catalogue.make("ddim", Map.of())), within(1e-12));
  }

  @Test
  void defaultIsErSde5() {
    assertThat(((ErSde) Catalogue.make("er-sde", Map.of())).scaler()).isEqualTo(ErSde.NoiseScaler.SDE_5);
  }
}
