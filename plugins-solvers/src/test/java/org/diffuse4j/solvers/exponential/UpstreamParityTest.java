package org.diffuse4j.solvers.exponential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.testkit.SolverConformance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The options that reproduce the reference codes ({@code solver_type}, {@code prediction}, r₁/r₂,
 * {@code budget} (true and fixed), {@code compat}, UniPC's {@code variant: vary-coeff}, noise prediction,
 * {@code lower_order_final: always} and {@code denoise_to_zero}) against the official end points ({@link UpstreamNumbers}; for
 * {@code compat: k-diffusion} and DPM-Solver-fast also k-diffusion's) to 10⁻⁹, on the grids the
 * official code builds (time_uniform, time_quadratic, logSNR, t = 1 → 10⁻³).
 */
class UpstreamParityTest {

  static final Schedule VP = SolverConformance.vp();
  static final double T_END = ReferenceParityTest.T_END;

  /** The official time_uniform grid. */
  static double[] uniform(int steps) {
    return ReferenceParityTest.times(steps);
  }

  /** The official time_quadratic grid: (linspace(1, √t_end, N + 1))². */
  static double[] quadratic(int steps) {
    double[] t = new double[steps + 1];
    double a = 1;
    double b = Math.sqrt(T_END);
    for (int i = 0; i <= steps; i++) {
      double u = a + (b - a) * i / steps;
      t[i] = u * u;
    }
    return t;
  }

  /** The grid followed by t = 0 (σ = 0): the read-out of UniPC's {@code denoise_to_zero}. */
  static double[] toZero(double[] times) {
    double[] t = java.util.Arrays.copyOf(times, times.length + 1);
    t[times.length] = 0;
    return t;
  }

  /** λ-uniform points from λ(t_from) to λ(t_to), N intervals, ends exact. */
  static double[] logSnr(double from, double to, int steps) {
    double la = VP.lambda(from);
    double lb = VP.lambda(to);
    double[] t = new double[steps + 1];
    for (int i = 0; i <= steps; i++) {
      t[i] = i == 0 ? from : i == steps ? to : VP.timeOfLambda(la + (lb - la) * i / steps);
    }
    return t;
  }

  /**
   * The official {@code method='singlestep'} grid for skip_type logSNR: K λ-uniform outer steps of
   * the split's orders, each divided uniformly in λ into its order.
   */
  static double[] fastLogSnr(int nfe, int order) {
    int[] orders = DpmSolver.orders(nfe, order);
    double[] outer = logSnr(1, T_END, orders.length);
    double[] t = new double[nfe + 1];
    int i = 0;
    for (int k = 0; k < orders.length; k++) {
      double[] inner = logSnr(outer[k], outer[k + 1], orders[k]);
      for (int j = 0; j < orders[k]; j++) {
        t[i++] = inner[j];
      }
    }
    t[nfe] = T_END;
    return t;
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // singlestep DPM-Solver / DPM-Solver++
        Arguments.of("dpm-solver", Map.of("budget", true), uniform(10), UpstreamNumbers.FAST3_TIME_10),
        Arguments.of("dpm-solver", Map.of("budget", true, "solver_type", "taylor"), uniform(8), UpstreamNumbers.FAST3_TAYLOR_TIME_8),
        Arguments.of("dpm-solver", Map.of("budget", true, "order", 2), uniform(7), UpstreamNumbers.FAST2_TIME_7),
        Arguments.of("dpm-solver", Map.of("budget", true, "prediction", "data"), quadratic(9), UpstreamNumbers.FAST3PP_QUADRATIC_9),
        Arguments.of("dpm-solver", Map.of("budget", true), fastLogSnr(8, 3), UpstreamNumbers.FAST3_LOGSNR_8),
        Arguments.of("dpm-solver", Map.of("prediction", "data"), logSnr(1, T_END, 3), UpstreamNumbers.FIXED3PP_LOGSNR_9),
        Arguments.of("dpm-solver", Map.of("prediction", "data", "solver_type", "taylor"), logSnr(1, T_END, 3),
            UpstreamNumbers.FIXED3PP_TAYLOR_LOGSNR_9),
        Arguments.of("dpm-solver", Map.of("order", 2, "prediction", "data", "solver_type", "taylor", "budget", true), uniform(8),
            UpstreamNumbers.FIXED2PP_TAYLOR_TIME_8),
        // singlestep_fixed with N steps: groups of exactly `order` on the same kind of grid with ⌊N/order⌋·order steps
        Arguments.of("dpm-solver", Map.of("budget", "fixed"), uniform(9), UpstreamNumbers.FIXED3_TIME_10),
        Arguments.of("dpm-solver", Map.of("budget", "fixed", "prediction", "data", "solver_type", "taylor"), quadratic(12),
            UpstreamNumbers.FIXED3PP_TAYLOR_QUADRATIC_12),
        Arguments.of("dpm-solver", Map.of("budget", "fixed", "order", 2), uniform(8), UpstreamNumbers.FIXED2_TIME_9),
        Arguments.of("dpm-solver", Map.of("r1", 0.4, "r2", 0.7), logSnr(1, T_END, 4), UpstreamNumbers.R_3_LOGSNR_4),
        Arguments.of("dpm-solver", Map.of("order", 2, "prediction", "data", "solver_type", "taylor", "r1", 0.4), logSnr(1, T_END, 4),
            UpstreamNumbers.R_2PP_TAYLOR_LOGSNR_4),
        // multistep, the reference coefficients
        Arguments.of("dpm-solver-multistep", Map.of("order", 3, "compat", "dpm-solver", "solver_type", "dpmsolver"), uniform(5),
            UpstreamNumbers.MULTI3_DPMSOLVER_TIME_5),
        Arguments.of("dpm-solver-multistep", Map.of("order", 3, "compat", "dpm-solver", "solver_type", "dpmsolver"), uniform(20),
            UpstreamNumbers.MULTI3_DPMSOLVER_TIME_20),
        Arguments.of("dpm-solver-multistep", Map.of("order", 3, "compat", "dpm-solver"), uniform(20), UpstreamNumbers.MULTI3_TAYLOR_TIME_20),
        Arguments.of("dpm-solver-multistep", Map.of("solver_type", "dpmsolver"), uniform(20), UpstreamNumbers.MULTI2_DPMSOLVER_TIME_20),
        Arguments.of("dpmpp-3m", Map.of("compat", "dpm-solver"), uniform(5), UpstreamNumbers.MULTIPP3_DPMSOLVER_TIME_5),
        Arguments.of("dpmpp-3m", Map.of("compat", "dpm-solver"), uniform(20), UpstreamNumbers.MULTIPP3_DPMSOLVER_TIME_20),
        Arguments.of("dpmpp-3m", Map.of("compat", "dpm-solver", "solver_type", "taylor"), uniform(20), UpstreamNumbers.MULTIPP3_TAYLOR_TIME_20),
        // k-diffusion's own code
        Arguments.of("dpmpp-3m", Map.of("compat", "k-diffusion"), uniform(20), UpstreamNumbers.KD_DPMPP3M_TIME_20),
        Arguments.of("dpmpp-3m-sde", Map.of("eta", 0.0), uniform(20), UpstreamNumbers.KD_DPMPP3M_TIME_20),
        Arguments.of("dpm-solver", Map.of("budget", true), fastLogSnr(8, 3), UpstreamNumbers.KD_DPM_FAST_8),
        Arguments.of("dpmpp-2m", Map.of(), uniform(20), UpstreamNumbers.MULTIPP2_DPMSOLVER_TIME_20),
        Arguments.of("dpmpp-2m", Map.of("solver_type", "taylor"), uniform(20), UpstreamNumbers.MULTIPP2_TAYLOR_TIME_20),
        Arguments.of("dpmpp-2m", Map.of("solver_type", "taylor"), uniform(5), UpstreamNumbers.MULTIPP2_TAYLOR_TIME_5),
        // UniPC
        Arguments.of("unipc", Map.of("variant", "vary-coeff"), uniform(5), UpstreamNumbers.UNIPC2_X0_VARY_COEFF_LOF_TIME_5),
        Arguments.of("unipc", Map.of("order", 3, "variant", "vary-coeff", "lower_order_final", "always"), uniform(20),
            UpstreamNumbers.UNIPC3_X0_VARY_COEFF_LOF_TIME_20),
        Arguments.of("unipc", Map.of("order", 3, "variant", "vary-coeff", "lower_order_final", false), uniform(20),
            UpstreamNumbers.UNIPC3_X0_VARY_COEFF_NOLOF_TIME_20),
        Arguments.of("unipc", Map.of("prediction", "noise"), uniform(5), UpstreamNumbers.UNIPC2_EPS_BH2_LOF_TIME_5),
        Arguments.of("unipc", Map.of("order", 3, "prediction", "noise", "lower_order_final", "always"), uniform(20),
            UpstreamNumbers.UNIPC3_EPS_BH2_LOF_TIME_20),
        Arguments.of("unipc", Map.of("order", 3, "prediction", "noise", "variant", "bh1", "lower_order_final", false), uniform(20),
            UpstreamNumbers.UNIPC3_EPS_BH1_NOLOF_TIME_20),
        Arguments.of("unipc", Map.of("order", 3, "prediction", "noise", "variant", "vary-coeff", "lower_order_final", "always"),
            uniform(20), UpstreamNumbers.UNIPC3_EPS_VARY_COEFF_LOF_TIME_20),
        // denoise_to_zero: the official N steps to 10⁻³, then x̂0 there = our grid of N + 1 steps ending at t = 0
        Arguments.of("unipc", Map.of("denoise_to_zero", true), toZero(uniform(5)), UpstreamNumbers.UNIPC2_X0_BH2_LOF_DTZ_TIME_5),
        Arguments.of("unipc", Map.of("order", 3, "denoise_to_zero", true, "lower_order_final", "always"), toZero(uniform(20)),
            UpstreamNumbers.UNIPC3_X0_BH2_LOF_DTZ_TIME_20),
        Arguments.of("unipc", Map.of("variant", "bh1", "denoise_to_zero", true, "lower_order_final", false), toZero(uniform(20)),
            UpstreamNumbers.UNIPC2_X0_BH1_NOLOF_DTZ_TIME_20),
        Arguments.of("unipc", Map.of("order", 3, "prediction", "noise", "denoise_to_zero", true, "lower_order_final", "always"),
            toZero(uniform(20)), UpstreamNumbers.UNIPC3_EPS_BH2_LOF_DTZ_TIME_20));
  }

  @ParameterizedTest(name = "[{index}] {0} {1}")
  @MethodSource("cases")
  void reproducesTheOfficialEndPoint(String name, Map<String, ?> options, double[] times, double[] expected) {
    Solver solver = Catalogue.make(name, options);
    Harness.Run run = Harness.run(solver, VP, times, GaussianMixture.standard2d(), OfficialNumbers.X, 0);
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(run.x()[i] - expected[i]));
    }
    assertThat(worst).as("max |ours − official| for %s %s", name, options).isLessThan(1e-9);
    assertThat(run.nfe()).as("model calls").isEqualTo(solver.evaluations(times.length - 1));
  }

  @Test
  void theOfficialOrderSplitOfABudget() {
    assertThat(DpmSolver.orders(10, 3)).containsExactly(3, 3, 3, 1);
    assertThat(DpmSolver.orders(9, 3)).containsExactly(3, 3, 2, 1);
    assertThat(DpmSolver.orders(8, 3)).containsExactly(3, 3, 2);
    assertThat(DpmSolver.orders(1, 3)).containsExactly(1);
    assertThat(DpmSolver.orders(7, 2)).containsExactly(2, 2, 2, 1);
    assertThat(DpmSolver.orders(3, 1)).containsExactly(1, 1, 1);
    assertThat(DpmSolver.fixedOrders(9, 3)).containsExactly(3, 3, 3);
    assertThat(DpmSolver.fixedOrders(10, 3)).containsExactly(3, 3, 3, 1);
    assertThat(DpmSolver.fixedOrders(8, 3)).containsExactly(3, 3, 2);
    assertThat(DpmSolver.fixedOrders(7, 2)).containsExactly(2, 2, 2, 1);
  }

  @Test
  void badSettingsNameTheKey() {
    assertThatThrownBy(() -> Catalogue.make("dpm-solver", Map.of("r1", 0.8, "r2", 0.5)))
        .hasMessageContaining("r1").hasMessageContaining("r2");
    assertThatThrownBy(() -> Catalogue.make("dpm-solver-multistep", Map.of("compat", "k-diffusion")))
        .hasMessageContaining("compat");
    assertThatThrownBy(() -> Catalogue.make("unipc", Map.of("lower_order_final", "sometimes")))
        .hasMessageContaining("lower_order_final").hasMessageContaining("always");
    assertThatThrownBy(() -> Catalogue.make("dpm-solver", Map.of("budget", "sometimes")))
        .hasMessageContaining("budget").hasMessageContaining("fixed");
    assertThatThrownBy(() -> Catalogue.make("dpmpp-2m", Map.of("solver_type", "heun")))
        .hasMessageContaining("solver_type").hasMessageContaining("taylor");
    Solver dtz = Catalogue.make("unipc", Map.of("denoise_to_zero", true));
    assertThatThrownBy(() -> Harness.run(dtz, VP, uniform(5), GaussianMixture.standard2d(), OfficialNumbers.X, 0))
        .hasMessageContaining("denoise_to_zero").hasMessageContaining("t = 0");
  }
}
