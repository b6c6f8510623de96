package org.diffuse4j.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.diffuse4j.schedules.DiscreteSchedule.BetaKind;
import org.junit.jupiter.api.Test;

/** DDPM tables against independent products and the values published by Lin et al. 2024. */
class DiscreteScheduleTest {

  /** ᾱ after k factors of DDPM's linear β_j = 1e-4 + (0.02 − 1e-4)·j/999, computed here. */
  private static double linearAlphaBar(int k) {
    double p = 1;
    for (int j = 0; j < k; j++) {
      p *= 1 - (1e-4 + (0.02 - 1e-4) * j / 999.0);
    }
    return p;
  }

  private static double snr(double alphaBar) {
    return alphaBar / (1 - alphaBar);
  }

  @Test
  void alphaIsTheSquareRootOfAlphaBar() {
    DiscreteSchedule d = DiscreteSchedule.of(BetaKind.LINEAR, 1000, 1e-4, 0.02, false);
    for (int k : new int[] {1, 10, 500, 501, 1000}) {
      double alphaBar = linearAlphaBar(k);
      assertThat(d.alphaBar(k)).isCloseTo(alphaBar, within(1e-15));
      assertThat(d.alpha(k / 1000.0)).as("α = √ᾱ at k=" + k).isCloseTo(Math.sqrt(alphaBar), within(1e-13));
      assertThat(d.sigma(k / 1000.0)).isCloseTo(Math.sqrt(1 - alphaBar), within(1e-13));
    }
    // seed 003 §1.4: ᾱ at step 500 ≈ 0.0780 (diffusers' timestep 500, t = 501/1000)
    assertThat(Math.pow(d.alpha(0.501), 2)).isCloseTo(0.0780, within(3e-4));
    // ... so α(0.5) ≈ 0.28 like continuous VP (ᾱ = 0.0791); an "ᾱ used as α" bug would give 0.079
    assertThat(d.alpha(0.5)).isCloseTo(new VariancePreserving(0.1, 20).alpha(0.5), within(2e-3));
    assertThat(d.alpha(0.5)).isGreaterThan(0.25);
  }

  @Test
  void terminalSnrMatchesLinEtAl2024() {
    // Lin et al. 2024: SNR(T) of the linear and cosine schedules, √ᾱ_T and SNR of Stable Diffusion
    DiscreteSchedule linear = DiscreteSchedule.of(BetaKind.LINEAR, 1000, 1e-4, 0.02, false);
    DiscreteSchedule cosine = DiscreteSchedule.of(BetaKind.SQUAREDCOS_CAP_V2, 1000, 0, 0, false);
    DiscreteSchedule sd = DiscreteSchedule.of(BetaKind.SCALED_LINEAR, 1000, 0.00085, 0.012, false);
    assertThat(snr(linear.alphaBar(1000))).isCloseTo(4.035993e-5, within(1e-11));
    assertThat(snr(cosine.alphaBar(1000))).isCloseTo(2.428735e-9, within(5e-14)); // published to ~1e-5 (float32)
    assertThat(sd.alpha(1.0)).isCloseTo(0.068265, within(1e-6));
    assertThat(snr(sd.alphaBar(1000))).isCloseTo(0.004682, within(1e-6));
  }

  @Test
  void zeroTerminalSnrRescalingKeepsFirstAndZeroesLast() {
    DiscreteSchedule sd = DiscreteSchedule.of(BetaKind.SCALED_LINEAR, 1000, 0.00085, 0.012, false);
    DiscreteSchedule z = DiscreteSchedule.of(BetaKind.SCALED_LINEAR, 1000, 0.00085, 0.012, true);
    assertThat(z.alphaBar(1)).isCloseTo(sd.alphaBar(1), within(1e-15));
    assertThat(z.alphaBar(1000)).isZero();
    assertThat(z.alpha(1.0)).isZero();
    assertThat(z.sigma(1.0)).isEqualTo(1.0);
    // Lin et al. Algorithm 1 at an interior entry, recomputed here
    double a1 = Math.sqrt(sd.alphaBar(1));
    double aT = Math.sqrt(sd.alphaBar(1000));
    double expected = Math.pow((Math.sqrt(sd.alphaBar(400)) - aT) * a1 / (a1 - aT), 2);
    assertThat(z.alphaBar(400)).isCloseTo(expected, within(1e-15));
    assertThat(z.tMax()).isLessThan(1.0);
    assertThat(z.lambda(z.tMax())).isFinite();
  }

  @Test
  void g2IsTheDiscreteRateOnEachSegment() {
    DiscreteSchedule d = DiscreteSchedule.of(BetaKind.LINEAR, 1000, 1e-4, 0.02, false);
    for (int j : new int[] {0, 250, 999}) { // segment between entries j and j+1 uses β_{j}
      double beta = 1e-4 + (0.02 - 1e-4) * j / 999.0;
      double t = (j + 0.5) / 1000;
      assertThat(d.g2(t)).isCloseTo(-1000 * Math.log(1 - beta), within(1e-9));
    }
  }

  @Test
  void badTablesAreRejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DiscreteSchedule(new double[] {0.9, 0.95}))
        .hasMessageContaining("ᾱ_2");
  }
}
