package org.diffuse4j.objectives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.diffuse4j.api.Objective;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.schedules.RectifiedFlow;
import org.junit.jupiter.api.Test;

/** Easy consistency tuning (Geng et al. 2024): the shrinking Δr, the log-normal r and the run it tunes. */
class EasyConsistencyTuningTest {
  final EasyConsistencyTuning ect = new EasyConsistencyTuning(0.002, 80, -1.1, 2.0, 2, 8, 1, 250);

  @Test
  void pairedLevelShrinksByQEveryStage() {
    // r' = r·(1 − n(r)/q^⌊k/d⌋), n(r) = 1 + 8·sigmoid(−r), q = 2, d = 250 (python, math.exp)
    assertThat(ect.pairedLevel(1.0, 500)).isCloseTo(0.2121171572600098, within(1e-13));
    assertThat(ect.pairedLevel(10.0, 250)).isCloseTo(4.998184085251902, within(1e-12));
    assertThat(ect.pairedLevel(0.3, 999)).isCloseTo(0.13483275504349768, within(1e-13));
    // first stage: r' ≤ 0, kept at the boundary r_min (the diffusion loss)
    assertThat(ect.pairedLevel(1.0, 0)).isEqualTo(0.002);
    assertThat(ect.pairedLevel(1.0, 249)).isEqualTo(0.002);
  }

  @Test
  void levelsAreLogNormalAndPairedOnTheSchedule() {
    Schedule rf = new RectifiedFlow();
    // exp(−1.1 + 2·Φ⁻¹(u)) (scipy.stats.norm.ppf)
    double[][] cases = {{0.3, 0.11662390307688919}, {0.9, 4.319342238639661}};
    for (double[] c : cases) {
      double t = ect.sampleTime(rf, c[0]);
      assertThat(rf.sigma(t) / rf.alpha(t)).isCloseTo(c[1], within(1e-7 * c[1]));
      double tp = ect.pairedTime(rf, t, 500);
      assertThat(rf.sigma(tp) / rf.alpha(tp)).isCloseTo(ect.pairedLevel(c[1], 500), within(1e-6 * c[1]));
    }
    double tiny = ect.sampleTime(rf, 1e-12);
    assertThat(rf.sigma(tiny) / rf.alpha(tiny)).isCloseTo(0.004, within(1e-9));
    assertThat(ect.needs()).containsExactly(Objective.Need.INIT);
    assertThat(ect.pairsTimes()).isTrue();
  }
}
