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
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.Options;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.guidance.GuidanceBundle.CfgOptions;
import org.diffuse4j.guidance.ScaleSchedule.Shape;
import org.diffuse4j.guidance.ScaleSchedule.Variable;
import org.diffuse4j.schedules.RectifiedFlow;
import org.diffuse4j.schedules.VariancePreserving;
import org.junit.jupiter.api.Test;

class ClassifierFreeTest {
  static final Schedule VP = new VariancePreserving(0.1, 20);
  static final double T = 0.4;

  /** ε̂ (or x̂0, v) of the guided model at scalar time t, row-major [B, D]. */
  private static double[][] run(ClassifierFree g, Schedule s, double t, Precision precision) {
    try (GraphRun r = new GraphRun(precision)) {
      Denoiser d = g.guide(GM.denoiser(s), Mixture.labels(r.b));
      Prediction p = d.predict(Mixture.x(r.b), PathPoint.at(s, t, r.b));
      return new double[][] {r.eval(p.eps()), r.eval(p.x0()), r.eval(p.v())};
    }
  }

  private static void assertRows(double[] got, java.util.function.IntFunction<double[]> want, double tol) {
    for (int i = 0; i < B; i++) {
      double[] w = want.apply(i);
      for (int j = 0; j < D; j++) {
        assertThat(got[i * D + j]).as("row %d dim %d", i, j).isCloseTo(w[j], within(tol));
      }
    }
  }

  private static double[] combine(double[] u, double[] c, double w) {
    double[] out = new double[u.length];
    for (int j = 0; j < u.length; j++) {
      out[j] = u[j] + w * (c[j] - u[j]);
    }
    return out;
  }

  @Test
  void scaleOneIsTheConditionalModelAtOneEvaluation() {
    double[][] out = run(ClassifierFree.of(1), VP, T, Precision.FLOAT64);
    assertRows(out[0], i -> Mixture.eps(VP, T, i, label(i)), 1e-10);
    assertRows(out[1], i -> Mixture.x0(VP, T, i, label(i)), 1e-10);
    try (GraphRun r = new GraphRun()) {
      Counting m = new Counting(GM.denoiser(VP));
      Denoiser d = ClassifierFree.of(1).guide(m, Mixture.labels(r.b));
      d.predict(Mixture.x(r.b), PathPoint.at(VP, T, r.b));
      assertThat(d.evaluationsPerCall()).isEqualTo(1);
      assertThat(m.conditionsEvaluated).isEqualTo(1);
    }
  }

  @Test
  void guidedEpsIsTheFormulaInBothPrecisions() {
    double w = 3.5;
    double[][] out64 = run(ClassifierFree.of(w), VP, T, Precision.FLOAT64);
    assertRows(out64[0], i -> combine(Mixture.eps(VP, T, i, -1), Mixture.eps(VP, T, i, label(i)), w), 1e-10);
    double[][] out32 = run(ClassifierFree.of(w), VP, T, Precision.FLOAT32);
    assertRows(out32[0], i -> combine(Mixture.eps(VP, T, i, -1), Mixture.eps(VP, T, i, label(i)), w), 2e-5);
    // scale 0 is the unconditional model
    double[][] out0 = run(ClassifierFree.of(0), VP, T, Precision.FLOAT64);
    assertRows(out0[0], i -> Mixture.eps(VP, T, i, -1), 1e-10);
  }

  @Test
  void guidingEpsEqualsGuidingX0AndV() {
    double w = 2.5;
    Schedule rf = new RectifiedFlow();
    double t = 0.7;
    double[][] out = run(ClassifierFree.of(w), rf, t, Precision.FLOAT64);
    assertRows(out[1], i -> combine(Mixture.x0(rf, t, i, -1), Mixture.x0(rf, t, i, label(i)), w), 1e-10);
    assertRows(out[2], i -> combine(Mixture.v(rf, t, i, -1), Mixture.v(rf, t, i, label(i)), w), 1e-10);
  }

  @Test
  void usesOneBatchedCallAndDeclaresTwoEvaluations() {
    try (GraphRun r = new GraphRun()) {
      Counting m = new Counting(GM.denoiser(VP));
      Denoiser d = ClassifierFree.of(4).guide(m, Mixture.labels(r.b));
      d.predict(Mixture.x(r.b), PathPoint.at(VP, T, r.b));
      assertThat(d.evaluationsPerCall()).isEqualTo(2);
      assertThat(m.predictAllCalls).isEqualTo(1);
      assertThat(m.predictCalls).isZero();
      assertThat(m.conditionsEvaluated).isEqualTo(2);
    }
  }

  @Test
  void intervalGuidesOnlyInsideItPerSample() {
    double w = 3;
    // per-sample times: rows 0 and 2 inside [0.3, 0.6], rows 1 and 3 outside
    double[] ts = {0.35, 0.2, 0.6, 0.9};
    ClassifierFree g = new ClassifierFree(ScaleSchedule.constant(w).withInterval(0.3, 0.6), 0, ClassifierFree.Target.V);
    try (GraphRun r = new GraphRun()) {
      Prediction p =
          g.guide(GM.denoiser(VP), Mixture.labels(r.b)).predict(Mixture.x(r.b), Mixture.columns(VP, ts, r.b));
      double[] eps = r.eval(p.eps());
      assertRows(eps, i -> {
        double[] c = Mixture.eps(VP, ts[i], i, label(i));
        boolean inside = ts[i] >= 0.3 && ts[i] <= 0.6;
        return inside ? combine(Mixture.eps(VP, ts[i], i, -1), c, w) : c;
      }, 1e-9);
    }
  }

  @Test
  void intervalInNoiseRatioUsesSigmaOverAlpha() {
    double ratio = VP.sigma(T) / VP.alpha(T);
    ScaleSchedule in = new ScaleSchedule(3, Shape.CONSTANT, ratio * 0.9, ratio * 1.1, Variable.NOISE_RATIO);
    ScaleSchedule out = new ScaleSchedule(3, Shape.CONSTANT, ratio * 1.1, Double.POSITIVE_INFINITY, Variable.NOISE_RATIO);
    double[][] inside = run(new ClassifierFree(in, 0, ClassifierFree.Target.V), VP, T, Precision.FLOAT64);
    double[][] outside = run(new ClassifierFree(out, 0, ClassifierFree.Target.V), VP, T, Precision.FLOAT64);
    assertRows(inside[0], i -> combine(Mixture.eps(VP, T, i, -1), Mixture.eps(VP, T, i, label(i)), 3), 1e-10);
    assertRows(outside[0], i -> Mixture.eps(VP, T, i, label(i)), 1e-10);
  }

  @Test
  void linearAndCosineSchedulesFollowTheirFormulas() {
    double w = 3;
    for (Shape shape : new Shape[] {Shape.LINEAR, Shape.COSINE}) {
      double k = shape == Shape.LINEAR ? 2 * (1 - T) : 1 - Math.cos(Math.PI * (1 - T));
      double wt = 1 + (w - 1) * k;
      ScaleSchedule s = new ScaleSchedule(w, shape, 0, 1, Variable.T);
      double[][] out = run(new ClassifierFree(s, 0, ClassifierFree.Target.V), VP, T, Precision.FLOAT64);
      assertRows(out[0], i -> combine(Mixture.eps(VP, T, i, -1), Mixture.eps(VP, T, i, label(i)), wt), 1e-10);
    }
  }

  @Test
  void rescaleMatchesLinEtAlOnEachTarget() {
    double w = 5;
    double phi = 0.7;
    for (ClassifierFree.Target target : ClassifierFree.Target.values()) {
      double[][] out = run(new ClassifierFree(ScaleSchedule.constant(w), phi, target), VP, T, Precision.FLOAT64);
      double a = VP.alpha(T);
      double s = VP.sigma(T);
      for (int i = 0; i < B; i++) {
        int y = label(i);
        double[] yc;
        double[] yu;
        switch (target) {
          case X0 -> { yc = Mixture.x0(VP, T, i, y); yu = Mixture.x0(VP, T, i, -1); }
          case EPS -> { yc = Mixture.eps(VP, T, i, y); yu = Mixture.eps(VP, T, i, -1); }
          default -> { yc = Mixture.v(VP, T, i, y); yu = Mixture.v(VP, T, i, -1); }
        }
        double[] cfg = combine(yu, yc, w);
        double factor = phi * popStd(yc) / popStd(cfg) + (1 - phi);
        double[] want = new double[D];
        for (int j = 0; j < D; j++) {
          want[j] = cfg[j] * factor;
        }
        int col = target == ClassifierFree.Target.X0 ? 1 : target == ClassifierFree.Target.EPS ? 0 : 2;
        for (int j = 0; j < D; j++) {
          assertThat(out[col][i * D + j]).as("%s row %d", target, i).isCloseTo(want[j], within(1e-9));
          // the pair stays consistent: x = α x̂0 + σ ε̂
          assertThat(a * out[1][i * D + j] + s * out[0][i * D + j]).isCloseTo(Mixture.X[i][j], within(1e-9));
        }
      }
    }
  }

  private static double popStd(double[] v) {
    double m = 0;
    for (double e : v) {
      m += e / v.length;
    }
    double q = 0;
    for (double e : v) {
      q += (e - m) * (e - m) / v.length;
    }
    return Math.sqrt(q);
  }

  @Test
  void badSettingsFailClearly() {
    assertThatThrownBy(() -> ClassifierFree.of(-1)).hasMessageContaining("scale must be >= 0");
    assertThatThrownBy(() -> ScaleSchedule.constant(2).withInterval(0.8, 0.2)).hasMessageContaining("t_lo = 0.8 > t_hi = 0.2");
    assertThatThrownBy(() -> Options.bind(CfgOptions.class, Map.of("t_lo", 0.8, "t_hi", 0.2), "sampling.guidance"))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("t_lo = 0.8 > t_hi = 0.2");
    assertThatThrownBy(() -> Options.bind(CfgOptions.class, Map.of("scale", -2), "sampling.guidance"))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("sampling.guidance.scale")
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> Options.bind(CfgOptions.class, Map.of("rescale", 1.5), "g"))
        .hasMessageContaining("g.rescale");
    assertThatThrownBy(() -> Options.bind(CfgOptions.class, Map.of("scael", 2), "g"))
        .hasMessageContaining("did you mean 'scale'");
  }

  @Test
  void registeredAndBuiltFromASpec() {
    PluginRegistry reg = PluginRegistry.discover(getClass().getClassLoader());
    assertThat(reg.entries(Kind.GUIDANCE)).containsKeys("none", "cfg");
    Object g = reg.create(Kind.GUIDANCE, Map.of("name", "cfg", "scale", 3, "t_hi", 0.8, "rescale", 0.5), "guidance");
    assertThat(g).isEqualTo(new ClassifierFree(new ScaleSchedule(3, Shape.CONSTANT, 0, 0.8, Variable.T), 0.5,
        ClassifierFree.Target.V));
    Object none = reg.create(Kind.GUIDANCE, "none", "guidance");
    assertThat(none).isInstanceOf(NoGuidance.class);
    try (GraphRun r = new GraphRun()) {
      Denoiser d = ((NoGuidance) none).guide(GM.denoiser(VP), Mixture.labels(r.b));
      assertThat(d.evaluationsPerCall()).isEqualTo(1);
      double[] eps = r.eval(d.predict(Mixture.x(r.b), PathPoint.at(VP, T, r.b)).eps());
      assertRows(eps, i -> Mixture.eps(VP, T, i, label(i)), 1e-10);
    }
  }
}
