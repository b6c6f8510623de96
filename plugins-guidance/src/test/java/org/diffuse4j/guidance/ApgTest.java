package org.diffuse4j.guidance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.diffuse4j.guidance.Mixture.B;
import static org.diffuse4j.guidance.Mixture.D;
import static org.diffuse4j.guidance.Mixture.GM;
import static org.diffuse4j.guidance.Mixture.label;

import java.util.Map;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.schedules.VariancePreserving;
import org.junit.jupiter.api.Test;

class ApgTest {
  static final Schedule VP = new VariancePreserving(0.1, 20);
  static final double T = 0.3;

  private static double[] guidedX0(AdaptiveProjected g) {
    try (GraphRun r = new GraphRun()) {
      Denoiser d = g.guide(GM.denoiser(VP), Mixture.labels(r.b));
      assertThat(d.evaluationsPerCall()).isEqualTo(2);
      return r.eval(d.predict(Mixture.x(r.b), PathPoint.at(VP, T, r.b)).x0());
    }
  }

  /** Sadat et al. Alg. 1 in Java doubles for one row. */
  static double[] apg(double[] c, double[] delta, double w, double eta, double r) {
    double[] dl = delta.clone();
    double norm = Math.sqrt(dl[0] * dl[0] + dl[1] * dl[1]);
    if (r > 0 && norm > r) {
      dl[0] *= r / norm;
      dl[1] *= r / norm;
    }
    double coef = (dl[0] * c[0] + dl[1] * c[1]) / (c[0] * c[0] + c[1] * c[1]);
    double[] out = new double[2];
    for (int j = 0; j < 2; j++) {
      double par = coef * c[j];
      double orth = dl[j] - par;
      out[j] = c[j] + (w - 1) * (orth + eta * par);
    }
    return out;
  }

  private static double[] diff(double[] a, double[] b) {
    return new double[] {a[0] - b[0], a[1] - b[1]};
  }

  @Test
  void etaOneWithoutThresholdIsCfgOnX0() {
    double w = 3;
    double[] got = guidedX0(new AdaptiveProjected(ScaleSchedule.constant(w), 1, 0, 0));
    for (int i = 0; i < B; i++) {
      double[] c = Mixture.x0(VP, T, i, label(i));
      double[] u = Mixture.x0(VP, T, i, -1);
      for (int j = 0; j < D; j++) {
        assertThat(got[i * D + j]).isCloseTo(u[j] + w * (c[j] - u[j]), within(1e-10));
      }
    }
  }

  @Test
  void projectionAndNormThresholdFollowTheAlgorithm() {
    double w = 4;
    double eta = 0.25;
    double r = 0.05; // smaller than some ‖Δ‖ of this problem, so the cap is active for them
    double[] got = guidedX0(new AdaptiveProjected(ScaleSchedule.constant(w), eta, r, 0));
    int capped = 0;
    for (int i = 0; i < B; i++) {
      double[] c = Mixture.x0(VP, T, i, label(i));
      double[] delta = diff(c, Mixture.x0(VP, T, i, -1));
      capped += Math.hypot(delta[0], delta[1]) > r ? 1 : 0;
      double[] want = apg(c, delta, w, eta, r);
      for (int j = 0; j < D; j++) {
        assertThat(got[i * D + j]).as("row %d", i).isCloseTo(want[j], within(1e-10));
      }
    }
    assertThat(capped).as("rows where the threshold acts").isGreaterThan(0);
  }

  @Test
  void momentumIsCarriedExplicitlyAcrossSteps() {
    double w = 3;
    double beta = -0.5;
    double t2 = 0.2;
    AdaptiveProjected g = new AdaptiveProjected(ScaleSchedule.constant(w), 0, 0, beta);
    try (GraphRun r = new GraphRun()) {
      ConditionalDenoiser m = GM.denoiser(VP);
      Condition c = Mixture.labels(r.b);
      PathPoint p1 = PathPoint.at(VP, T, r.b);
      PathPoint p2 = PathPoint.at(VP, t2, r.b);
      var x = Mixture.x(r.b);
      AdaptiveProjected.Step s1 =
          g.combine(m.predict(x, p1, c), m.predict(x, p1, Condition.none()), AdaptiveProjected.Momentum.start());
      AdaptiveProjected.Step s2 = g.combine(m.predict(x, p2, c), m.predict(x, p2, Condition.none()), s1.next());
      double[] got = r.eval(s2.prediction().x0());
      for (int i = 0; i < B; i++) {
        double[] d1 = diff(Mixture.x0(VP, T, i, label(i)), Mixture.x0(VP, T, i, -1));
        double[] c2 = Mixture.x0(VP, t2, i, label(i));
        double[] d2 = diff(c2, Mixture.x0(VP, t2, i, -1));
        double[] avg = {d2[0] + beta * d1[0], d2[1] + beta * d1[1]};
        double[] want = apg(c2, avg, w, 0, 0);
        for (int j = 0; j < D; j++) {
          assertThat(got[i * D + j]).isCloseTo(want[j], within(1e-10));
        }
      }
      assertThatThrownBy(() -> g.guide(m, c)).hasMessageContaining("momentum");
    }
    PluginRegistry reg = PluginRegistry.discover(getClass().getClassLoader());
    assertThatThrownBy(() -> reg.create(Kind.GUIDANCE, Map.of("name", "apg", "momentum", -0.5), "guidance"))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("momentum");
    assertThat(reg.<Object>create(Kind.GUIDANCE, Map.of("name", "apg", "scale", 5, "norm_threshold", 15), "g"))
        .isEqualTo(new AdaptiveProjected(ScaleSchedule.constant(5), 0, 15, 0));
  }
}
