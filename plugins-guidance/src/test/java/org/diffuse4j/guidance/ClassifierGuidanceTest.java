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
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.PluginContext;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.schedules.VariancePreserving;
import org.junit.jupiter.api.Test;

class ClassifierGuidanceTest {
  static final Schedule VP = new VariancePreserving(0.1, 20);
  static final double T = 0.35;

  /**
   * The exact Bayes classifier of the mixture at time t, written here as graph ops:
   * logit_k = log w_k − (d/2) log τ_k² − ‖x − α μ_k‖² / (2 τ_k²), τ_k² = α² s_k² + σ².
   */
  static final Classifier BAYES = (x, p) -> {
    Backend b = x.backend();
    double[][] mu = GM.means();
    double[] s = GM.stds();
    double[] w = GM.weights();
    Tensor out = null;
    for (int k = 0; k < mu.length; k++) {
      Tensor tau2 = p.alpha().square().times(s[k] * s[k]).plus(p.sigma().square());
      Tensor diff = x.minus(b.constant(mu[k], 1, D).times(p.alpha()));
      Tensor logit = diff.square().sum(1).reshape(-1, 1).div(tau2.times(2)).neg()
          .minus(tau2.log().times(0.5 * D)).plus(Math.log(w[k]));
      out = out == null ? logit : out.concat(1, logit);
    }
    return out;
  };

  /** Exact score of class y's marginal, (α μ_y − x)/τ_y², or of the whole mixture (y = −1). */
  static double[] score(int i, int y) {
    return (y < 0 ? GM : Mixture.component(y)).score(VP, T, Mixture.X[i]);
  }

  private static double[] guidedScore(ClassifierGuidance g) {
    try (GraphRun r = new GraphRun()) {
      Denoiser d = g.guide(GM.denoiser(VP), Mixture.labels(r.b));
      assertThat(d.evaluationsPerCall()).isEqualTo(2);
      return r.eval(d.predict(Mixture.x(r.b), PathPoint.at(VP, T, r.b)).score());
    }
  }

  @Test
  void exactBayesClassifierAtScaleOneGivesTheConditionalScore() {
    double[] got = guidedScore(new ClassifierGuidance(BAYES, ScaleSchedule.constant(1), false));
    for (int i = 0; i < B; i++) {
      double[] want = score(i, label(i));
      for (int j = 0; j < D; j++) {
        assertThat(got[i * D + j]).as("row %d", i).isCloseTo(want[j], within(1e-9));
      }
    }
  }

  @Test
  void scaleWTiltsByTheClassifierGradient() {
    double w = 2.5;
    double[] uncondBase = guidedScore(new ClassifierGuidance(BAYES, ScaleSchedule.constant(w), false));
    double[] condBase = guidedScore(new ClassifierGuidance(BAYES, ScaleSchedule.constant(w), true));
    for (int i = 0; i < B; i++) {
      double[] sc = score(i, label(i));
      double[] su = score(i, -1);
      for (int j = 0; j < D; j++) {
        // ∇ log p(y|x) = s_c − s_u for the exact classifier
        assertThat(uncondBase[i * D + j]).isCloseTo(su[j] + w * (sc[j] - su[j]), within(1e-9));
        assertThat(condBase[i * D + j]).isCloseTo(sc[j] + w * (sc[j] - su[j]), within(1e-9));
      }
    }
  }

  @Test
  void withoutLabelsOrClassifierItFailsClearly() {
    ClassifierGuidance g = new ClassifierGuidance(BAYES, ScaleSchedule.constant(1), false);
    assertThatThrownBy(() -> g.guide(GM.denoiser(VP), Condition.none())).hasMessageContaining("needs class labels");
    assertThatThrownBy(() -> new ClassifierGuidance(null, ScaleSchedule.constant(1), false))
        .hasMessageContaining("needs a classifier");
    PluginRegistry reg = PluginRegistry.discover(getClass().getClassLoader());
    assertThatThrownBy(() -> reg.create(Kind.GUIDANCE, Map.of("name", "classifier", "scale", 2), "sampling.guidance"))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("missing required key 'sampling.guidance.classifier'");
  }

  @Test
  void pluginBuildsTheClassifierNetworkThroughTheContext() {
    Network logits = (x, t, c) -> BAYES.logits(x, PathPoint.at(VP, T, x.backend()));
    PluginContext ctx = new PluginContext() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> T create(Kind kind, Object spec, String path) {
        assertThat(kind).isEqualTo(Kind.NETWORK);
        assertThat(spec).isEqualTo("bayes");
        return (T) logits;
      }
    };
    var provider = new GuidanceBundle().providers().stream()
        .filter(p -> p.info().name().equals("classifier")).findFirst().orElseThrow();
    var opts = org.diffuse4j.api.plugin.Options.bind(GuidanceBundle.ClassifierOptions.class,
        Map.of("classifier", "bayes"), "guidance");
    @SuppressWarnings({"unchecked", "rawtypes"})
    ClassifierGuidance g = (ClassifierGuidance) ((org.diffuse4j.api.plugin.PluginProvider) provider).create(opts, ctx);
    double[] got = guidedScore(g);
    double[] want = score(2, label(2));
    assertThat(got[2 * D]).isCloseTo(want[0], within(1e-9));
    assertThat(got[2 * D + 1]).isCloseTo(want[1], within(1e-9));
  }
}
