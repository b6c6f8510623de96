package org.diffuse4j.guidance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.diffuse4j.guidance.Mixture.B;
import static org.diffuse4j.guidance.Mixture.D;
import static org.diffuse4j.guidance.Mixture.GM;
import static org.diffuse4j.guidance.Mixture.label;

import java.util.Map;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.schedules.RectifiedFlow;
import org.diffuse4j.schedules.VariancePreserving;
import org.junit.jupiter.api.Test;

/** cfg-plus-plus, rectified-cfg and autoguidance against closed forms of the mixture. */
class FlowGuidanceTest {
  static final Schedule RF = new RectifiedFlow();
  static final Schedule VP = new VariancePreserving(0.1, 20);

  private static GaussianMixture cls(int i) {
    return Mixture.component(label(i));
  }

  @Test
  void cfgPlusPlusGuidesX0AndRenoisesWithTheUnconditionalEps() {
    double lambda = 0.6;
    double t = 0.5;
    try (GraphRun r = new GraphRun()) {
      Denoiser d = new CfgPlusPlus(ScaleSchedule.constant(lambda)).guide(GM.denoiser(VP), Mixture.labels(r.b));
      assertThat(d.evaluationsPerCall()).isEqualTo(2);
      Prediction p = d.predict(Mixture.x(r.b), PathPoint.at(VP, t, r.b));
      double[] x0 = r.eval(p.x0());
      double[] eps = r.eval(p.eps());
      for (int i = 0; i < B; i++) {
        double[] cx0 = Mixture.x0(VP, t, i, label(i));
        double[] ux0 = Mixture.x0(VP, t, i, -1);
        double[] ueps = Mixture.eps(VP, t, i, -1);
        for (int j = 0; j < D; j++) {
          assertThat(x0[i * D + j]).isCloseTo(ux0[j] + lambda * (cx0[j] - ux0[j]), within(1e-10));
          assertThat(eps[i * D + j]).isCloseTo(ueps[j], within(1e-10));
        }
      }
    }
    // outside the interval: the conditional model
    try (GraphRun r = new GraphRun()) {
      Denoiser d = new CfgPlusPlus(ScaleSchedule.constant(lambda).withInterval(0.6, 1.0))
          .guide(GM.denoiser(VP), Mixture.labels(r.b));
      Prediction p = d.predict(Mixture.x(r.b), PathPoint.at(VP, t, r.b));
      double[] x0 = r.eval(p.x0());
      double[] eps = r.eval(p.eps());
      for (int i = 0; i < B; i++) {
        double[] cx0 = Mixture.x0(VP, t, i, label(i));
        double[] ceps = Mixture.eps(VP, t, i, label(i));
        for (int j = 0; j < D; j++) {
          assertThat(x0[i * D + j]).isCloseTo(cx0[j], within(1e-10));
          assertThat(eps[i * D + j]).isCloseTo(ceps[j], within(1e-10));
        }
      }
    }
    assertThatThrownBy(() -> new CfgPlusPlus(ScaleSchedule.constant(1.5))).hasMessageContaining("[0, 1]");
  }

  @Test
  void rectifiedCfgIsThePredictorCorrectorVelocity() {
    double lambda = 2;
    double delta = 0.05;
    for (double t : new double[] {0.6, 0.04}) {
      double dEff = Math.min(delta, t / 2);
      try (GraphRun r = new GraphRun()) {
        Denoiser d = new RectifiedCfg(lambda, 1, delta).guide(GM.denoiser(RF), Mixture.labels(r.b));
        assertThat(d.evaluationsPerCall()).isEqualTo(3);
        double[] v = r.eval(d.predict(Mixture.x(r.b), PathPoint.at(RF, t, r.b)).velocity());
        for (int i = 0; i < B; i++) {
          double[] vc = cls(i).velocity(RF, t, Mixture.X[i]);
          double[] xh = new double[D];
          for (int j = 0; j < D; j++) {
            xh[j] = Mixture.X[i][j] - dEff * vc[j];
          }
          double[] vch = cls(i).velocity(RF, t - dEff, xh);
          double[] vuh = GM.velocity(RF, t - dEff, xh);
          for (int j = 0; j < D; j++) {
            double want = vc[j] + lambda * t * (vch[j] - vuh[j]);
            assertThat(v[i * D + j]).as("t=%s row %d", t, i).isCloseTo(want, within(1e-9));
          }
        }
      }
    }
  }

  @Test
  void rectifiedCfgAtScaleZeroIsTheConditionalVelocity() {
    double t = 0.3;
    try (GraphRun r = new GraphRun()) {
      Denoiser d = new RectifiedCfg(0, 1, 0.05).guide(GM.denoiser(RF), Mixture.labels(r.b));
      double[] v = r.eval(d.predict(Mixture.x(r.b), PathPoint.at(RF, t, r.b)).velocity());
      for (int i = 0; i < B; i++) {
        double[] vc = cls(i).velocity(RF, t, Mixture.X[i]);
        for (int j = 0; j < D; j++) {
          assertThat(v[i * D + j]).isCloseTo(vc[j], within(1e-10));
        }
      }
    }
    assertThatThrownBy(() -> new RectifiedCfg(-1, 1, 0.05)).hasMessageContaining("scale >= 0");
  }

  /** A deliberately worse model: every component twice as wide. */
  static final GaussianMixture WEAK =
      new GaussianMixture(GM.means(), new double[] {0.6, 1.0, 0.8}, GM.weights());

  @Test
  void autoguidanceExtrapolatesFromTheWeakModel() {
    double w = 2.2;
    double t = 0.45;
    try (GraphRun r = new GraphRun()) {
      Denoiser d = new AutoGuidance(WEAK.denoiser(VP), ScaleSchedule.constant(w)).guide(GM.denoiser(VP), Mixture.labels(r.b));
      assertThat(d.evaluationsPerCall()).isEqualTo(2);
      double[] x0 = r.eval(d.predict(Mixture.x(r.b), PathPoint.at(VP, t, r.b)).x0());
      for (int i = 0; i < B; i++) {
        int y = label(i);
        double[] main = Mixture.component(y).posteriorMean(VP, t, Mixture.X[i]);
        GaussianMixture weakY = new GaussianMixture(new double[][] {GM.means()[y]}, new double[] {WEAK.stds()[y]}, new double[] {1});
        double[] weak = weakY.posteriorMean(VP, t, Mixture.X[i]);
        for (int j = 0; j < D; j++) {
          assertThat(x0[i * D + j]).isCloseTo(weak[j] + w * (main[j] - weak[j]), within(1e-10));
        }
      }
    }
  }

  @Test
  void autoguidanceNeedsAWeakModel() {
    assertThatThrownBy(() -> new AutoGuidance(null, ScaleSchedule.constant(2))).hasMessageContaining("weak model");
    PluginRegistry reg = PluginRegistry.discover(getClass().getClassLoader());
    assertThatThrownBy(() -> reg.create(Kind.GUIDANCE, Map.of("name", "autoguidance"), "guidance"))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("missing required key 'guidance.weak_model'");
  }
}
