package org.diffuse4j.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TimeGrid;
import org.diffuse4j.schedules.DiscreteGrid.Spacing;
import org.diffuse4j.schedules.DiscreteSchedule.BetaKind;
import org.junit.jupiter.api.Test;

/** Time grids: shape, endpoints, spacing formulas and published diffusers timesteps. */
class GridTest {
  private static final VariancePreserving VP = new VariancePreserving(0.1, 20);
  private static final EdmSchedule EDM = new EdmSchedule(0.002, 80, 7);

  private static List<TimeGrid> grids() {
    GridBounds d = GridBounds.DEFAULT;
    GridBounds z = GridBounds.ofTimes(-1, -1, true);
    return List.of(
        new UniformGrid(d), new UniformGrid(z), new LogSnrGrid(d), new LogSnrGrid(z),
        new KarrasGrid(d, 7), new KarrasGrid(z, 3), new QuadraticGrid(d), new QuadraticGrid(z),
        new DiscreteGrid(Spacing.LINSPACE, 1000, 0), new DiscreteGrid(Spacing.LEADING, 1000, 0),
        new DiscreteGrid(Spacing.TRAILING, 1000, 0));
  }

  @Test
  void everyGridWorksWithEverySchedule() {
    for (Schedule s : ScheduleContractTest.schedules().values()) {
      for (TimeGrid g : grids()) {
        for (int steps : new int[] {1, 2, 7, 50}) {
          if (s.tMin() == 0 && g.toString().contains("toZero=true")) {
            // ve's t = 0 is σ_min, not clean data: no final step to 0 exists, and the grid says so
            assertThatThrownBy(() -> g.times(s, 3)).hasMessageContaining("to_zero needs t_min > 0");
            continue;
          }
          double[] t = g.times(s, steps);
          assertThat(t).as("%s on %s", g, s).hasSize(steps + 1);
          for (int k = 1; k < t.length; k++) {
            assertThat(t[k]).as("%s on %s decreasing", g, s).isLessThan(t[k - 1]);
          }
          assertThat(t[steps]).isGreaterThanOrEqualTo(0.0);
          assertThat(t[0]).isLessThanOrEqualTo(1.0);
        }
      }
    }
  }

  @Test
  void uniformKeepsItsOriginalBehaviour() {
    double[] t = new UniformGrid(-1, -1).times(VP, 4);
    assertThat(t).containsExactly(new double[] {1.0, 0.75025, 0.5005, 0.25075, 0.001}, within(1e-15));
    assertThat(t[4]).isEqualTo(0.001);
    assertThat(new UniformGrid(0.8, 0.2).times(VP, 3)).containsExactly(new double[] {0.8, 0.6, 0.4, 0.2}, within(1e-15));
  }

  @Test
  void toZeroAppendsAnExactZero() {
    double[] t = new UniformGrid(GridBounds.ofTimes(1, 0.1, true)).times(VP, 4);
    assertThat(t).containsExactly(new double[] {1.0, 0.7, 0.4, 0.1, 0.0}, within(1e-15));
    assertThat(t[4]).isEqualTo(0.0);
    assertThatThrownBy(() -> new UniformGrid(GridBounds.ofTimes(1, 0, true)).times(VP, 4))
        .hasMessageContaining("to_zero needs t_min > 0");
  }

  @Test
  void logSnrIsUniformInLambdaAndExponentialIsTheSame() {
    double[] t = new LogSnrGrid(GridBounds.DEFAULT).times(VP, 10);
    double step = VP.lambda(t[1]) - VP.lambda(t[0]);
    for (int k = 1; k < t.length; k++) {
      assertThat(VP.lambda(t[k]) - VP.lambda(t[k - 1])).isCloseTo(step, within(1e-9));
    }
    // seed 003 §1.3: VP λ runs from λ(1) = −5.025 (half of −10.05) to λ(1e-3) = 4.558 (half of 9.115)
    assertThat(VP.lambda(t[0])).isCloseTo(-10.05 / 2, within(1e-3));
    assertThat(VP.lambda(t[10])).isCloseTo(9.115 / 2, within(1e-3));
    // exponential spacing = log-uniform σ/α: on VE geometric σ that is uniform in t
    VarianceExploding ve = new VarianceExploding(0.01, 50);
    double[] te = new LogSnrGrid(new GridBounds(-1, -1, 50, 0.01, false)).times(ve, 5);
    assertThat(te).containsExactly(new double[] {1.0, 0.8, 0.6, 0.4, 0.2, 0.0}, within(1e-12));
  }

  @Test
  void karrasEndpointsAreExactlySigmaMaxAndSigmaMin() {
    KarrasGrid g = new KarrasGrid(new GridBounds(-1, -1, 80, 0.002, false), 7);
    double[] sigmas = g.sigmas(VP, 10);
    assertThat(sigmas[0]).isEqualTo(80.0);
    assertThat(sigmas[10]).isEqualTo(0.002);
    double[] t = g.times(VP, 10);
    double a = Math.pow(80, 1.0 / 7);
    double b = Math.pow(0.002, 1.0 / 7);
    for (int k = 0; k <= 10; k++) {
      double expected = Math.pow(a + k / 10.0 * (b - a), 7); // Karras et al. 2022, eq. 5
      assertThat(VP.sigmaOverAlpha(t[k])).isCloseTo(expected, within(1e-10 * expected));
      assertThat(sigmas[k]).isCloseTo(expected, within(1e-12 * expected));
    }
  }

  @Test
  void karrasOnTheEdmScheduleIsUniformInT() {
    double[] karras = new KarrasGrid(GridBounds.DEFAULT, 7).times(EDM, 18);
    double[] uniform = new UniformGrid(GridBounds.DEFAULT).times(EDM, 18);
    assertThat(karras).containsExactly(uniform, within(1e-12));
    double[] withZero = new KarrasGrid(GridBounds.ofTimes(-1, -1, true), 7).times(EDM, 18);
    assertThat(withZero[18]).isEqualTo(0.0);
    assertThat(EDM.sigma(withZero[0])).isCloseTo(80, within(1e-12));
    assertThat(EDM.sigma(withZero[17])).isCloseTo(0.002, within(1e-15));
  }

  @Test
  void quadraticIsFinerNearTheData() {
    double[] t = new QuadraticGrid(GridBounds.ofTimes(1, 0, false)).times(VP, 4);
    assertThat(t).containsExactly(new double[] {1.0, 0.5625, 0.25, 0.0625, 0.0}, within(1e-15));
  }

  @Test
  void discreteSpacingsMatchLinEtAlTableTwo() {
    // Lin et al. 2024, Table 2, N = 1000, 10 steps, 1-based timesteps (= our k = i + 1, t = k/N)
    DiscreteSchedule sd = DiscreteSchedule.of(BetaKind.SCALED_LINEAR, 1000, 0.00085, 0.012, false);
    int[] linspace = {1000, 889, 778, 667, 556, 445, 334, 223, 112, 1};
    int[] leading = {901, 801, 701, 601, 501, 401, 301, 201, 101, 1};
    int[] trailing = {1000, 900, 800, 700, 600, 500, 400, 300, 200, 100};
    assertTimes(new DiscreteGrid(Spacing.LINSPACE, 0, 0).times(sd, 10), linspace);
    assertTimes(new DiscreteGrid(Spacing.LEADING, 0, 0).times(sd, 10), leading);
    assertTimes(new DiscreteGrid(Spacing.TRAILING, 0, 0).times(sd, 10), trailing);
    // steps_offset = 1 as in Stable Diffusion's config shifts leading by one
    double[] offset = new DiscreteGrid(Spacing.LEADING, 0, 1).times(sd, 10);
    assertThat(offset[0]).isEqualTo(902 / 1000.0);
    // a continuous schedule uses train_steps
    assertTimes(new DiscreteGrid(Spacing.TRAILING, 1000, 0).times(VP, 10), trailing);
    assertThatThrownBy(() -> new DiscreteGrid(Spacing.LINSPACE, 0, 0).times(sd, 1001))
        .hasMessageContaining("steps must be in [1, 1000]");
  }

  private static void assertTimes(double[] t, int[] oneBased) {
    assertThat(t).hasSize(oneBased.length + 1);
    for (int k = 0; k < oneBased.length; k++) {
      assertThat(t[k]).isEqualTo(oneBased[k] / 1000.0);
    }
    assertThat(t[oneBased.length]).isEqualTo(0.0);
  }

  @Test
  void explicitTakesTimesOrSigmas() {
    assertThat(new ExplicitGrid(new double[] {0.9, 0.5, 0.1}, null, false).times(VP, 2))
        .containsExactly(0.9, 0.5, 0.1);
    assertThat(new ExplicitGrid(new double[] {0.9, 0.5, 0.1}, null, true).times(VP, 3))
        .containsExactly(0.9, 0.5, 0.1, 0.0);
    VarianceExploding ve = new VarianceExploding(0.01, 50);
    double[] t = new ExplicitGrid(null, new double[] {50, 1, 0.01}, false).times(ve, 2);
    assertThat(t).containsExactly(new double[] {1.0, Math.log(100) / Math.log(5000), 0.0}, within(1e-12));
    // on EDM, σ = 0 is t = 0: Karras's final step
    double[] e = new ExplicitGrid(null, new double[] {80, 1, 0}, false).times(EDM, 2);
    assertThat(e).containsExactly(new double[] {1.0, Math.pow(1 / 80.0, 1 / 7.0), 0.0}, within(1e-12));
  }

  @Test
  void explicitRejectsBadLists() {
    VarianceExploding ve = new VarianceExploding(0.01, 50);
    assertThatThrownBy(() -> new ExplicitGrid(null, new double[] {50, 1, 0.01, 0}, false).times(ve, 3))
        .hasMessageContaining("decrease strictly");
    assertThatThrownBy(() -> new ExplicitGrid(new double[] {0.9, 0.5}, null, false).times(VP, 3))
        .hasMessageContaining("3 steps need 4");
    assertThatThrownBy(() -> new ExplicitGrid(new double[] {0.9}, new double[] {1}, false))
        .hasMessageContaining("exactly one of");
  }

  @Test
  void badStepsAndBoundsFail() {
    assertThatThrownBy(() -> new UniformGrid(-1, -1).times(VP, 0)).hasMessageContaining("steps must be >= 1");
    assertThatThrownBy(() -> new LogSnrGrid(GridBounds.ofTimes(0.2, 0.5, false)).times(VP, 3))
        .hasMessageContaining("t_max > t_min");
    assertThatThrownBy(() -> new KarrasGrid(GridBounds.DEFAULT, 0)).hasMessageContaining("rho must be > 0");
  }
}
