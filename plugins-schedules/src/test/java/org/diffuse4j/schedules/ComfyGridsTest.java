package org.diffuse4j.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TimeGrid;
import org.diffuse4j.schedules.DiscreteSchedule.BetaKind;
import org.diffuse4j.schedules.SigmaLevelsGrid.Ays;
import org.diffuse4j.schedules.TimestepGrid.Kind;
import org.junit.jupiter.api.Test;

/**
 * The ComfyUI / A1111 grids against numbers computed independently in Python (numpy 2.4, scipy 1.17)
 * from the published formulas (ComfyUI comfy/samplers.py: normal_scheduler, simple_scheduler,
 * ddim_scheduler, beta_scheduler with scipy.stats.beta.ppf, kl_optimal_scheduler,
 * linear_quadratic_schedule; NVIDIA's AYS loglinear_interp), N = 1000 training steps.
 */
class ComfyGridsTest {
  private static final VariancePreserving VP = new VariancePreserving(0.1, 20);

  private static double[] tau(Kind kind, int steps) {
    return new TimestepGrid(kind, 1000, 0.6, 0.6).timesteps(VP, steps);
  }

  @Test
  void timestepLayoutsMatchComfyUi() {
    assertThat(tau(Kind.NORMAL, 10)).containsExactly(new double[] {999, 888, 777, 666, 555, 444, 333, 222, 111, 0}, within(1e-9));
    assertThat(tau(Kind.SGM_UNIFORM, 10)).containsExactly(new double[] {999, 899.1, 799.2, 699.3, 599.4, 499.5, 399.6,
        299.7, 199.8, 99.9}, within(1e-9));
    assertThat(tau(Kind.SIMPLE, 7)).containsExactly(999, 857, 714, 571, 428, 285, 142);
    // ddim_uniform with 30 steps: s = 33, timesteps 1 … 991, i.e. 31 points (ComfyUI gives 31 steps too)
    double[] ddim = tau(Kind.DDIM_UNIFORM, 30);
    assertThat(ddim).hasSize(31);
    assertThat(ddim[0]).isEqualTo(991);
    assertThat(ddim[30]).isEqualTo(1);
    assertThat(ddim[1] - ddim[2]).isEqualTo(33);
    assertThat(tau(Kind.BETA, 10)).containsExactly(999, 959, 876, 765, 637, 500, 362, 234, 123, 40);
    assertThat(tau(Kind.BETA, 40)).containsExactly(999, 995, 986, 974, 959, 942, 922, 900, 876, 851, 823, 795, 765,
        734, 703, 670, 637, 603, 569, 534, 500, 465, 430, 396, 362, 329, 296, 265, 234, 204, 176, 148, 123, 99, 77,
        57, 40, 25, 13, 4);
  }

  @Test
  void betaQuantileInvertsTheDistribution() {
    // I_x(a, a) is symmetric; I_{1/2}(a, b) for a = 1 is 1 − (1/2)^b (closed form)
    assertThat(BetaDistribution.quantile(0.5, 0.6, 0.6)).isCloseTo(0.5, within(1e-14));
    assertThat(BetaDistribution.cdf(0.5, 1, 3)).isCloseTo(1 - 0.125, within(1e-14));
    assertThat(BetaDistribution.cdf(0.3, 2, 1)).isCloseTo(0.09, within(1e-14));
    assertThat(BetaDistribution.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-14));
  }

  @Test
  void timestepsMapToTimesAsDiffusersTimesteps() {
    double[] t = new TimestepGrid(Kind.NORMAL, 0, 0.6, 0.6).times(VP, 4);
    assertThat(t).containsExactly(new double[] {1.0, 0.667, 0.334, 0.001, 0.0}, within(1e-12));
  }

  @Test
  void sigmaLevelGridsMatchThePublishedConstructions() {
    GridBounds sd = new GridBounds(-1, -1, 14.6146412293, 0.0291671582, false);
    assertThat(new SigmaLevelsGrid(SigmaLevelsGrid.Kind.KL_OPTIMAL, sd, null).sigmas(VP, 10)).containsExactly(new double[] {
        14.614641229300018, 4.2323504946255879, 2.3937188876539879, 1.5970661831474278, 1.1329968678138131,
        0.81524452568414818, 0.57291422872738751, 0.37248418289521318, 0.19528834605651896, 0.029167158200000001},
        within(1e-12));
    SigmaLevelsGrid ays = new SigmaLevelsGrid(SigmaLevelsGrid.Kind.AYS, GridBounds.DEFAULT, Ays.SDXL);
    assertThat(ays.sigmas(VP, 10)).containsExactly(java.util.Arrays.copyOf(Ays.SDXL.levels(), 10), within(1e-12));
    assertThat(ays.sigmas(VP, 20)).containsExactly(new double[] {14.614641229299998, 9.6094671222055297,
        6.3184485287000003, 4.8794513275018314, 3.7681790314999999, 2.8668722413060417, 2.1811480769,
        1.7099363798738296, 1.3405244945000001, 1.0750017604527207, 0.86207211409999995, 0.6917440204561881,
        0.55506932890000005, 0.45917898923936962, 0.3798540708, 0.2976504679801153, 0.23323641340000001,
        0.16120460733371256, 0.11141881770000001, 0.057006756461956846}, within(1e-12));
    assertThat(ays.sigmas(VP, 4)).containsExactly(new double[] {14.614641229299998, 2.8668722413060417,
        0.86207211409999995, 0.2976504679801153}, within(1e-12));
    // on Stable Diffusion's own schedule the times land on those σ/α exactly, then t = 0
    Schedule sd15 = DiscreteSchedule.of(BetaKind.SCALED_LINEAR, 1000, 0.00085, 0.012, false);
    double[] t = ays.times(sd15, 10);
    assertThat(t[10]).isZero();
    for (int j = 1; j < 10; j++) {
      assertThat(sd15.sigmaOverAlpha(t[j]) / Ays.SDXL.levels()[j]).as("level %d", j).isCloseTo(1, within(1e-9));
    }
  }

  @Test
  void linearQuadraticMatchesMochi() {
    LinearQuadraticGrid g = new LinearQuadraticGrid(1.0, 0.025, 0);
    assertThat(g.times(VP, 10)).containsExactly(new double[] {1, 0.995, 0.99, 0.985, 0.98, 0.975, 0.932, 0.813, 0.618,
        0.347, 0}, within(1e-12));
    assertThat(g.times(VP, 7)).containsExactly(new double[] {1, 0.9916666666666667, 0.98333333333333328,
        0.97499999999999987, 0.9078124999999998, 0.72291666666666643, 0.42031249999999964, 0}, within(1e-12));
    assertThat(g.times(VP, 1)).containsExactly(1, 0);
  }

  @Test
  void everyNewGridWorksWithEverySchedule() {
    List<TimeGrid> grids = List.of(
        new TimestepGrid(Kind.NORMAL, 0, 1, 1), new TimestepGrid(Kind.SGM_UNIFORM, 0, 1, 1),
        new TimestepGrid(Kind.SIMPLE, 0, 1, 1), new TimestepGrid(Kind.BETA, 0, 0.6, 0.6),
        new SigmaLevelsGrid(SigmaLevelsGrid.Kind.KL_OPTIMAL, GridBounds.ofTimes(-1, -1, true), null),
        new LinearQuadraticGrid(-1, 0.025, 0));
    for (var e : ScheduleContractTest.schedules().entrySet()) {
      Schedule s = e.getValue();
      for (TimeGrid g : grids) {
        for (int steps : new int[] {1, 2, 7, 50}) {
          if (s.tMin() == 0 && !(g instanceof TimestepGrid)) {
            continue; // ve-like: σ/α at t = 0 is σ_min > 0, a final t = 0 is not clean data (the grids end at 0)
          }
          double[] t = g.times(s, steps);
          if (g instanceof TimestepGrid tg && tg.kind() == Kind.BETA) {
            // repeated timesteps are dropped, as in ComfyUI: fewer steps when N is small
            assertThat(t.length).as("%s on %s", g, e.getKey()).isBetween(2, steps + 1);
          } else {
            assertThat(t).as("%s on %s", g, e.getKey()).hasSize(steps + 1);
          }
          assertThat(t[0]).isLessThanOrEqualTo(s.tMax());
          assertThat(t[t.length - 1]).isZero();
        }
      }
    }
  }

  @Test
  void badSettingsNameTheCause() {
    assertThatThrownBy(() -> new TimestepGrid(Kind.BETA, 0, 0, 0.6)).hasMessageContaining("alpha and beta must be > 0");
    assertThatThrownBy(() -> new TimestepGrid(Kind.SIMPLE, 100, 1, 1).times(VP, 101)).hasMessageContaining("steps must be in [1, 100]");
    assertThatThrownBy(() -> new LinearQuadraticGrid(-1, 0.025, 8).times(VP, 8)).hasMessageContaining("linear_steps must be < steps");
  }

  @Test
  void everyGridAliasNamesAGridWithValidOptions() {
    org.diffuse4j.api.plugin.PluginRegistry r = new org.diffuse4j.api.plugin.PluginRegistry();
    new SchedulesBundle().providers().forEach(p -> r.add(p, "schedules"));
    int n = 0;
    for (var a : org.diffuse4j.api.plugin.KnownNames.all()) {
      if (a.kind() == org.diffuse4j.api.plugin.Kind.GRID) {
        TimeGrid g = r.create(org.diffuse4j.api.plugin.Kind.GRID, a.qualified(), "grid");
        assertThat(g.times(VP, 10)[0]).as(a.qualified()).isLessThanOrEqualTo(1.0);
        n++;
      }
    }
    assertThat(n).isGreaterThanOrEqualTo(9);
    TimeGrid ays = r.create(org.diffuse4j.api.plugin.Kind.GRID, "AYS SD1", "grid");
    assertThat(ays).isEqualTo(new SigmaLevelsGrid(SigmaLevelsGrid.Kind.AYS, GridBounds.DEFAULT, Ays.SD1));
  }
}
