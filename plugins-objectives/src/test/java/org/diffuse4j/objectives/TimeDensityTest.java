package org.diffuse4j.objectives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.diffuse4j.schedules.RectifiedFlow;
import org.diffuse4j.schedules.VariancePreserving;
import org.junit.jupiter.api.Test;

/** Time densities against closed-form quantiles. */
class TimeDensityTest {

  @Test
  void normalQuantileMatchesTabulatedValues() {
    assertThat(NormalQuantile.of(0.5)).isCloseTo(0.0, within(1e-12));
    assertThat(NormalQuantile.of(0.975)).isCloseTo(1.959963984540054, within(1e-8));
    assertThat(NormalQuantile.of(0.8413447460685429)).isCloseTo(1.0, within(1e-8));
    assertThat(NormalQuantile.of(0.001)).isCloseTo(-3.090232306167813, within(1e-8));
    assertThat(NormalQuantile.of(1e-10)).isCloseTo(-6.361340902404056, within(1e-7));
    assertThat(NormalQuantile.of(0.3)).isCloseTo(-0.5244005127080407, within(1e-8));
  }

  @Test
  void uniformAndDiscrete() {
    assertThat(new TimeDensity.Uniform(0.1, 0.9).sample(null, 0.25)).isCloseTo(0.3, within(1e-15));
    TimeDensity.Discrete d = new TimeDensity.Discrete(4);
    assertThat(d.sample(null, 1e-9)).isEqualTo(0.25);
    assertThat(d.sample(null, 0.26)).isEqualTo(0.5);
    assertThat(d.sample(null, 0.999)).isEqualTo(1.0);
  }

  @Test
  void logitNormalQuantiles() {
    TimeDensity.LogitNormal ln = new TimeDensity.LogitNormal(0.5, 2);
    assertThat(ln.sample(null, 0.5)).isCloseTo(1 / (1 + Math.exp(-0.5)), within(1e-12));
    assertThat(ln.sample(null, 0.975)).isCloseTo(1 / (1 + Math.exp(-(0.5 + 2 * 1.959963984540054))), within(1e-8));
  }

  @Test
  void modeSamplingIsUniformAtScaleZeroAndMonotoneOtherwise() {
    assertThat(new TimeDensity.Mode(0).sample(null, 0.37)).isCloseTo(0.37, within(1e-15));
    TimeDensity.Mode m = new TimeDensity.Mode(1.29);
    // SD3 eq. 20 with u' = 1 − u: t = 1 − u' − s(cos²(πu'/2) − 1 + u').
    double up = 0.8;
    double want = 1 - up - 1.29 * (Math.pow(Math.cos(Math.PI * up / 2), 2) - 1 + up);
    assertThat(m.sample(null, 0.2)).isCloseTo(want, within(1e-14));
    double prev = -1;
    for (int k = 0; k <= 1000; k++) {
      double t = m.sample(null, k / 1000.0);
      assertThat(t).isBetween(0.0, 1.0).isGreaterThanOrEqualTo(prev);
      prev = t;
    }
    assertThatThrownBy(() -> new TimeDensity.Mode(2)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void logNormalMapsEdmSigmaToTimeThroughTheSchedule() {
    VariancePreserving vp = new VariancePreserving(0.1, 20);
    TimeDensity.LogNormal ln = new TimeDensity.LogNormal(-1.2, 1.2, null);
    assertThat(ln.needsSchedule()).isTrue();
    double t = ln.sample(vp, 0.5);
    assertThat(vp.sigma(t) / vp.alpha(t)).isCloseTo(Math.exp(-1.2), within(1e-9));
    double t1 = ln.sample(vp, 0.8413447460685429);
    assertThat(vp.sigma(t1) / vp.alpha(t1)).isCloseTo(Math.exp(0.0), within(1e-7));
    RectifiedFlow rf = new RectifiedFlow();
    double t2 = new TimeDensity.LogNormal(-1.2, 1.2, rf).sample(null, 0.5);
    assertThat(t2 / (1 - t2)).isCloseTo(Math.exp(-1.2), within(1e-9));
    // Far tails are clamped to the schedule's usable range.
    assertThat(ln.sample(vp, 1e-12)).isCloseTo(vp.tMin(), within(1e-9));
    assertThatThrownBy(() -> ln.sample(null, 0.5)).hasMessageContaining("schedule");
  }
}
