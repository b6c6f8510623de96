package org.diffuse4j.solvers.exponential;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TimeGrid;
import org.diffuse4j.api.analytic.ConvergenceStudy;
import org.diffuse4j.testkit.SolverConformance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code dpmpp-3m} against the official DPM-Solver++(3M) at 10–200 steps on every grid the official
 * code builds (and Karras'), from the rows {@link OfficialNumbers#X}, t = 1 → 10⁻³, errors to the
 * exact ODE end point from the official code ({@link OfficialNumbers#GRID_STEPS}), at 10, 15, 20,
 * 30 and 50 steps. Asserted: never farther where the project achieves it (the listed step counts,
 * each with ≥ 8 % margin), and nowhere more than 2× farther (worst measured: 1.88×, time-quadratic
 * at 50 steps). The cells left out are the open part of issue 13 (docs/solvers.md,
 * "DPM-Solver++(3M) on unequal λ steps"): λ-uniform 12–30 steps, time-quadratic 30–50, Karras
 * 10–12 and 25–50.
 */
class ThreeMGridsTest {

  static final Schedule VP = SolverConformance.vp();
  static final double T_END = ReferenceParityTest.T_END;
  /** A subset of {@link OfficialNumbers#GRID_STEPS} that keeps the test to seconds (≥ 100 steps: {@link ReferenceParityTest}, {@link OrderTest}). */
  static final int[] STEPS = {10, 15, 20, 30, 50};

  /** Karras' grid in ρ = σ/α (ρ^{1/7} uniform) from t = 1 to {@link #T_END}, ends exact. */
  static double[] karras(int steps) {
    double a = Math.pow(Math.exp(-VP.lambda(1)), 1 / 7.0);
    double b = Math.pow(Math.exp(-VP.lambda(T_END)), 1 / 7.0);
    double[] t = new double[steps + 1];
    for (int i = 0; i <= steps; i++) {
      double rho = Math.pow(a + (b - a) * i / steps, 7);
      t[i] = i == 0 ? 1 : i == steps ? T_END : VP.timeOfLambda(-Math.log(rho));
    }
    return t;
  }

  /** The official time_quadratic grid with its last point exactly {@link #T_END} (a study needs fixed ends). */
  static double[] quadratic(int steps) {
    double[] t = UpstreamParityTest.quadratic(steps);
    t[steps] = T_END;
    return t;
  }

  static Stream<Arguments> grids() {
    return Stream.of(
        Arguments.of("time_uniform", ConvergenceStudy.uniform(T_END), OfficialNumbers.DPMPP3M_TIME_UNIFORM_ERROR,
            STEPS),
        Arguments.of("logSNR", (TimeGrid) (s, n) -> UpstreamParityTest.logSnr(1, T_END, n), OfficialNumbers.DPMPP3M_LOGSNR_ERROR,
            new int[] {10, 50}),
        Arguments.of("time_quadratic", (TimeGrid) (s, n) -> quadratic(n),
            OfficialNumbers.DPMPP3M_TIME_QUADRATIC_ERROR, new int[] {10, 15, 20}),
        Arguments.of("karras", (TimeGrid) (s, n) -> karras(n), OfficialNumbers.DPMPP3M_KARRAS_ERROR,
            new int[] {15, 20}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("grids")
  void dpmpp3mAgainstTheOfficialCode(String grid, TimeGrid times, double[] official, int[] closer) {
    // same reference key as ReferenceParityTest's (start, end, rows): the exact end points are solved once per JVM
    ConvergenceStudy study = ConvergenceStudy.of(VP, times).withInit(OfficialNumbers.X);
    List<ConvergenceStudy.Point> points =
        study.run(Catalogue.make("dpmpp-3m", Map.of()), STEPS).points();
    StringBuilder ratios = new StringBuilder();
    for (int i = 0; i < points.size(); i++) {
      int n = STEPS[i];
      int j = Arrays.stream(OfficialNumbers.GRID_STEPS).boxed().toList().indexOf(n);
      double ratio = points.get(i).error() / official[j];
      ratios.append(String.format(" %d:%.3f", n, ratio));
      assertThat(ratio).as("%s, %d steps: dpmpp-3m error / official 3M error", grid, n).isLessThan(2.0);
      if (Arrays.stream(closer).anyMatch(c -> c == n)) {
        assertThat(ratio).as("%s, %d steps: dpmpp-3m error / official 3M error", grid, n).isLessThan(1.0);
      }
    }
    System.out.printf("dpmpp-3m / official 3M on %s:%s%n", grid, ratios);
  }
}
