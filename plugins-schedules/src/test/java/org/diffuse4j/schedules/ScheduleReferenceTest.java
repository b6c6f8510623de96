package org.diffuse4j.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Reference values from papers and closed forms (seed 003 §1.2–1.3), typed in independently. */
class ScheduleReferenceTest {

  @Test
  void vpMatchesSeedFigureOneAndGSquaredIsBeta() {
    VariancePreserving vp = new VariancePreserving(0.1, 20);
    assertThat(vp.alpha(0.5)).isCloseTo(0.2812, within(5e-5));
    assertThat(vp.alpha(0.7)).isCloseTo(0.0844, within(5e-5));
    assertThat(vp.alpha(1.0)).isCloseTo(0.00657, within(5e-6));
    for (double t = 0.001; t <= 1; t += 0.0371) {
      double beta = 0.1 + 19.9 * t;
      assertThat(vp.g2(t)).isCloseTo(beta, within(1e-12));
      double a = vp.alpha(t);
      double s = vp.sigma(t);
      double generic = 2 * (s * vp.sigmaDot(t) - s * s * vp.alphaDot(t) / a);
      assertThat(generic).isCloseTo(beta, within(1e-9 * beta));
      assertThat(a * a + s * s).isCloseTo(1.0, within(1e-14));
    }
    // seed 003 §1.3: log-SNR log(α²/σ²) is −10.05 at t = 1 and 9.115 at t = 1e-3; our λ is half of it
    assertThat(2 * vp.lambda(1.0)).isCloseTo(-10.05, within(5e-3));
    assertThat(2 * vp.lambda(1e-3)).isCloseTo(9.115, within(5e-3));
  }

  @Test
  void edmUniformTimesAreKarrasNoiseLevels() {
    EdmSchedule edm = new EdmSchedule(0.002, 80, 7);
    int n = 18;
    double[] t = new UniformGrid(-1, -1).times(edm, n - 1);
    for (int i = 0; i < n; i++) { // Karras et al. 2022, eq. 5
      double karras = Math.pow(Math.pow(80, 1 / 7.0) + i / (n - 1.0) * (Math.pow(0.002, 1 / 7.0) - Math.pow(80, 1 / 7.0)), 7);
      assertThat(edm.sigma(t[i])).as("sigma_" + i).isCloseTo(karras, within(1e-12 * karras));
    }
  }

  @Test
  void rectifiedFlowAndTrigMatchTheSeedTable() {
    RectifiedFlow rf = new RectifiedFlow();
    TrigFlow trig = new TrigFlow(1.0);
    for (double t = 0.01; t < 0.99; t += 0.0537) {
      assertThat(rf.g2(t)).isCloseTo(2 * t / (1 - t), within(1e-12));
      assertThat(trig.g2(t)).isCloseTo(Math.PI * Math.tan(Math.PI * t / 2), within(1e-12));
      assertThat(trig.f(t)).isCloseTo(-Math.PI / 2 * Math.tan(Math.PI * t / 2), within(1e-12));
      assertThat(trig.lambda(t)).isCloseTo(-Math.log(Math.tan(Math.PI * t / 2)), within(1e-12));
    }
    // seed 001 T2/T3: cosine at t = 0.5 has α = σ = 0.7071068, f = −π/2, g² = π
    assertThat(trig.alpha(0.5)).isCloseTo(0.7071068, within(1e-7));
    assertThat(trig.sigma(0.5)).isCloseTo(0.7071068, within(1e-7));
    assertThat(trig.f(0.5)).isCloseTo(-1.5707963, within(1e-7));
    assertThat(trig.g2(0.5)).isCloseTo(3.1415927, within(1e-7));
  }

  @Test
  void trigflowScalesTheNoiseBySigmaData() {
    TrigFlow tf = new TrigFlow(0.5);
    // x = cos τ x0 + sin τ z with z ~ N(0, σ_d²): at τ = π/4, σ = 0.5·√½ and λ = −log 0.5
    assertThat(tf.sigma(0.5)).isCloseTo(0.5 * Math.sqrt(0.5), within(1e-15));
    assertThat(tf.lambda(0.5)).isCloseTo(Math.log(2), within(1e-14));
    assertThat(tf.g2(0.3)).isCloseTo(Math.PI * 0.25 * Math.tan(0.15 * Math.PI), within(1e-12));
  }

  @Test
  void veGeometricMatchesClosedForms() {
    VarianceExploding ve = new VarianceExploding(0.01, 50);
    assertThat(ve.sigma(0)).isCloseTo(0.01, within(1e-17));
    assertThat(ve.sigma(1)).isCloseTo(50, within(1e-12));
    assertThat(ve.sigma(0.5)).isCloseTo(Math.sqrt(0.01 * 50), within(1e-14));
    double ln = Math.log(5000);
    for (double t = 0; t <= 1; t += 0.125) {
      double s = 0.01 * Math.pow(5000, t);
      assertThat(ve.g2(t)).isCloseTo(2 * s * s * ln, within(1e-10 * s * s));
      assertThat(ve.f(t)).isZero();
    }
  }

  @Test
  void subVpHasSigmaOneMinusAlphaSquared() {
    SubVariancePreserving sub = new SubVariancePreserving(0.1, 20);
    VariancePreserving vp = new VariancePreserving(0.1, 20);
    for (double t = 0.001; t <= 1; t += 0.0413) {
      double a = vp.alpha(t);
      assertThat(sub.alpha(t)).isEqualTo(a);
      assertThat(sub.sigma(t)).isCloseTo(1 - a * a, within(1e-14));
      double beta = 0.1 + 19.9 * t;
      assertThat(sub.g2(t)).isCloseTo(beta * (1 - Math.pow(a, 4)), within(1e-12));
      assertThat(sub.g2(t)).isLessThanOrEqualTo(vp.g2(t));
    }
  }

  @Test
  void edmEndpointsAndRhoClock() {
    EdmSchedule edm = new EdmSchedule(0.002, 80, 7);
    double tMin = Math.pow(0.002 / 80, 1.0 / 7);
    assertThat(edm.tMin()).isCloseTo(0.2201, within(1e-4));
    assertThat(edm.sigma(edm.tMin())).isCloseTo(0.002, within(1e-16));
    assertThat(edm.sigma(1)).isEqualTo(80.0);
    assertThat(edm.sigma(0)).isZero();
    // Karras eq. 5: σ^{1/ρ} is linear in t, so the midpoint in t is the midpoint in σ^{1/7}
    double mid = Math.pow((Math.pow(0.002, 1.0 / 7) + Math.pow(80, 1.0 / 7)) / 2, 7);
    assertThat(edm.sigma((1 + tMin) / 2)).isCloseTo(mid, within(1e-12));
    assertThat(edm.alpha(0.3)).isEqualTo(1.0);
    assertThat(edm.lambda(0.5)).isCloseTo(-Math.log(80 * Math.pow(0.5, 7)), within(1e-12));
  }

  @Test
  void vpCosineFollowsNicholDhariwal() {
    VpCosine cos = new VpCosine();
    double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
    for (double t = 0; t <= 0.99; t += 0.033) {
      double alphaBar = Math.pow(Math.cos((t + 0.008) / 1.008 * Math.PI / 2), 2) / f0;
      // ᾱ is α squared: the dictionary of seed 003 eq. 38
      assertThat(cos.alpha(t)).isCloseTo(Math.sqrt(alphaBar), within(1e-14));
      assertThat(cos.sigma(t)).isCloseTo(Math.sqrt(1 - alphaBar), within(1e-12));
      assertThat(cos.g2(t)).isCloseTo(Math.PI * Math.tan((t + 0.008) / 1.008 * Math.PI / 2) / 1.008, within(1e-9));
    }
    assertThat(cos.alpha(0.5) * cos.alpha(0.5)).isCloseTo(0.4938435904, within(1e-10));
    assertThat(cos.alpha(0)).isEqualTo(1.0);
    assertThat(cos.sigma(0)).isZero();
    // the clip: the rate never exceeds −1000·ln(0.001), and α stays positive up to t = 1
    double cap = -1000 * Math.log(0.001);
    assertThat(cos.clipTime()).isBetween(0.999, 1.0);
    for (double t = 0.999; t <= 1.0; t += 1e-5) {
      assertThat(cos.g2(t)).isLessThanOrEqualTo(cap + 1e-9);
    }
    assertThat(cos.alpha(1.0)).isBetween(1e-5, 1e-3);
  }

  @Test
  void shiftedMapsTimeAndAppliesTheChainRule() {
    Shifted rf3 = new Shifted(new RectifiedFlow(), 3.0);
    // t' = 3·0.5/(1 + 2·0.5) = 0.75
    assertThat(rf3.sigma(0.5)).isCloseTo(0.75, within(1e-15));
    assertThat(rf3.alpha(0.5)).isCloseTo(0.25, within(1e-15));
    // dt'/dt = 3/(1 + 2t)² = 0.75 at t = 0.5
    assertThat(rf3.sigmaDot(0.5)).isCloseTo(0.75, within(1e-15));
    assertThat(rf3.alphaDot(0.5)).isCloseTo(-0.75, within(1e-15));
    // SD3's form on σ = t: σ' = sσ/(1 + (s−1)σ)
    for (double t = 0.05; t < 1; t += 0.1) {
      assertThat(rf3.sigma(t)).isCloseTo(3 * t / (1 + 2 * t), within(1e-15));
    }
    Shifted identity = new Shifted(new VariancePreserving(0.1, 20), 1.0);
    VariancePreserving vp = new VariancePreserving(0.1, 20);
    for (double t = 0.01; t < 1; t += 0.1) {
      assertThat(identity.alpha(t)).isCloseTo(vp.alpha(t), within(1e-15));
      assertThat(identity.sigmaDot(t)).isCloseTo(vp.sigmaDot(t), within(1e-12));
    }
  }
}
