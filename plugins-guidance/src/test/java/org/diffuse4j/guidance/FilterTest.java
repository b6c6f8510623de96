package org.diffuse4j.guidance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
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
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.schedules.VariancePreserving;
import org.junit.jupiter.api.Test;

/** dynamic-thresholding and stack on a hand-written conditional model with known x̂0. */
class FilterTest {
  static final Schedule VP = new VariancePreserving(0.1, 20);
  static final double T = 0.5;
  // conditional and unconditional x̂0, two rows of five values
  static final double[] COND = {0.5, -3.0, 2.0, 1.5, -0.2, 0.1, 0.2, -0.3, 0.4, 0.5};
  static final double[] UNCOND = {0.3, -1.0, 1.0, 1.0, 0.0, 0.1, 0.1, -0.1, 0.2, 0.3};

  /** x̂0 fixed per condition, ε̂ = (x − α x̂0)/σ. */
  static final ConditionalDenoiser MODEL = (x, p, c) -> {
    Tensor x0 = x.backend().constant(c.isConditional() ? COND : UNCOND, 2, 5);
    return new Prediction(x, p, x0, x.minus(x0.times(p.alpha())).div(p.sigma()));
  };

  private static Tensor x(GraphRun r) {
    return r.b.constant(new double[] {1, 0, -1, 2, 0.5, 0, 0, 1, -1, 0.3}, 2, 5);
  }

  private static Condition labels(GraphRun r) {
    return new Condition(r.b.constant(new double[] {0, 1}, 2));
  }

  @Test
  void thresholdIsTheInterpolatedQuantileAtLeastOne() {
    // p = 0.8, n = 5: position 0.8·4 = 3.2 in ascending |x0|.
    // row 0: |x0| ascending 0.2, 0.5, 1.5, 2, 3 → s = 2 + 0.2·(3 − 2) = 2.2
    // row 1: ascending 0.1 … 0.5 → 0.4 + 0.2·0.1 = 0.42 → s = max(0.42, 1) = 1
    double s0 = 2.2;
    try (GraphRun r = new GraphRun()) {
      Denoiser d = new DynamicThresholding(0.8, Double.POSITIVE_INFINITY).guide(MODEL, labels(r));
      assertThat(d.evaluationsPerCall()).isEqualTo(1);
      Prediction p = d.predict(x(r), PathPoint.at(VP, T, r.b));
      double[] x0 = r.eval(p.x0());
      double[] eps = r.eval(p.eps());
      double[] xs = r.eval(x(r));
      for (int j = 0; j < 5; j++) {
        assertThat(x0[j]).isCloseTo(Math.max(-s0, Math.min(s0, COND[j])) / s0, within(1e-12));
        assertThat(x0[5 + j]).isCloseTo(COND[5 + j], within(1e-12));
      }
      for (int k = 0; k < 10; k++) {
        assertThat(VP.alpha(T) * x0[k] + VP.sigma(T) * eps[k]).isCloseTo(xs[k], within(1e-12));
      }
    }
  }

  @Test
  void maxThresholdCapsS() {
    try (GraphRun r = new GraphRun()) {
      Denoiser d = new DynamicThresholding(0.8, 1.5).guide(MODEL, labels(r));
      double[] x0 = r.eval(d.predict(x(r), PathPoint.at(VP, T, r.b)).x0());
      assertThat(x0[1]).isCloseTo(-1.0, within(1e-12)); // −3 clipped to −1.5, divided by 1.5
      assertThat(x0[0]).isCloseTo(0.5 / 1.5, within(1e-12));
    }
  }

  @Test
  void stackFiltersTheGuidedPrediction() {
    double w = 3;
    double s0 = 2.2;
    try (GraphRun r = new GraphRun()) {
      Stack st = new Stack(ClassifierFree.of(w), List.of(new DynamicThresholding(0.8, Double.POSITIVE_INFINITY)));
      Denoiser d = st.guide(MODEL, labels(r));
      assertThat(d.evaluationsPerCall()).isEqualTo(2);
      double[] x0 = r.eval(d.predict(x(r), PathPoint.at(VP, T, r.b)).x0());
      // guided row 0 = u + 3 (c − u) = 0.9, −7, 4, 2.5, −0.6 → ascending |.|: 0.6, 0.9, 2.5, 4, 7 → s = 4 + 0.2·3 = 4.6
      double[] g0 = {0.9, -7, 4, 2.5, -0.6};
      double s = 4.6;
      for (int j = 0; j < 5; j++) {
        assertThat(x0[j]).isCloseTo(Math.max(-s, Math.min(s, g0[j])) / s, within(1e-12));
      }
      // guided row 1 = 0.1, 0.4, −0.7, 0.8, 0.9 → all within [−1, 1]: unchanged
      double[] g1 = {0.1, 0.4, -0.7, 0.8, 0.9};
      for (int j = 0; j < 5; j++) {
        assertThat(x0[5 + j]).isCloseTo(g1[j], within(1e-12));
      }
      assertThat(s0).isLessThan(s);
    }
  }

  @Test
  void stackIsBuiltFromAManifestList() {
    PluginRegistry reg = PluginRegistry.discover(getClass().getClassLoader());
    Object g = reg.create(Kind.GUIDANCE,
        Map.of("name", "stack", "of", List.of(Map.of("name", "cfg", "scale", 3),
            Map.of("name", "dynamic-thresholding", "percentile", 0.8))), "guidance");
    assertThat(g).isEqualTo(new Stack(ClassifierFree.of(3), List.of(new DynamicThresholding(0.8, Double.POSITIVE_INFINITY))));
    assertThatThrownBy(() -> reg.create(Kind.GUIDANCE,
        Map.of("name", "stack", "of", List.of("dynamic-thresholding", "cfg")), "guidance"))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("'guidance.of[1]' (cfg)")
        .hasMessageContaining("first entry");
    assertThatThrownBy(() -> reg.create(Kind.GUIDANCE, Map.of("name", "stack", "of", "cfg"), "guidance"))
        .hasMessageContaining("non-empty list");
    assertThatThrownBy(() -> reg.create(Kind.GUIDANCE, Map.of("name", "dynamic-thresholding", "percentile", 1.2), "g"))
        .hasMessageContaining("g.percentile");
  }
}
