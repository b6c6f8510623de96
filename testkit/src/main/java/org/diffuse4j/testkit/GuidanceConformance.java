package org.diffuse4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;
import java.util.function.IntSupplier;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.Guidance;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.tensor.Tensor;

/**
 * The laws every {@link Guidance} keeps, in float64 on the class-conditional analytic
 * {@link GaussianMixture#standard2d()} (class y = component y) under VP and rectified flow: at the
 * scales where it declares it is a plain model ({@link Model}: classifier-free guidance is the
 * unconditional model at scale 0 and the conditional one at scale 1) its (x̂0, ε̂) equal that model's
 * within 10⁻⁹; and {@link Denoiser#evaluationsPerCall()} equals the network evaluations one call
 * makes (each condition of {@code predictAll} counts one). Each failure names the method to fix.
 */
public final class GuidanceConformance {
  private GuidanceConformance() {}

  /** The plain model a guidance declares it equals at a scale. */
  public enum Model {
    /** The model at {@link Condition#none()}. */
    UNCONDITIONAL,
    /** The model at the requested labels. */
    CONDITIONAL
  }

  /** The mixture of the checks: three classes in 2-D. */
  public static GaussianMixture mixture() {
    return GaussianMixture.standard2d();
  }

  /** Rows and labels of the checks. */
  static final double[] X = {0.3, -0.2, -1.0, 0.5, 1.2, 0.9, 0.1, -1.4};
  static final double[] LABELS = {0, 1, 2, 1};

  /** Times of the checks. */
  static final double[] TIMES = {0.9, 0.5, 0.1};

  /**
   * Every law: {@code atScale} builds the guidance at a scale; {@code atZero} and {@code atOne} are
   * the models it declares it equals at scales 0 and 1 (null: no such declaration).
   */
  public static void assertConforms(DoubleFunction<Guidance> atScale, Model atZero, Model atOne) {
    assertConforms(atScale, atZero, atOne, () -> 0);
  }

  /**
   * Every law, for a guidance that also calls networks of its own (a weak model, a classifier):
   * {@code otherCalls} counts their calls (see {@link #assertEvaluationsPerCall(Guidance, IntSupplier)}).
   */
  public static void assertConforms(DoubleFunction<Guidance> atScale, Model atZero, Model atOne, IntSupplier otherCalls) {
    if (atZero != null) {
      assertIsModel(atScale.apply(0), atZero, "scale 0");
    }
    if (atOne != null) {
      assertIsModel(atScale.apply(1), atOne, "scale 1");
    }
    assertEvaluationsPerCall(atScale.apply(0.5), otherCalls);
    assertEvaluationsPerCall(atScale.apply(1), otherCalls);
  }

  /**
   * The guided denoiser of {@code g} equals the plain {@code model} (x̂0 and ε̂ within 10⁻⁹) at every
   * row, time and kit schedule; {@code what} names the setting in the failure.
   */
  public static void assertIsModel(Guidance g, Model model, String what) {
    GaussianMixture gm = mixture();
    for (Schedule s : List.of(SolverConformance.vp(), SolverConformance.rectifiedFlow())) {
      for (double t : TIMES) {
        List<double[]> out = FlowMapConformance.run(b -> {
          Tensor x = b.constant(X, 4, 2);
          PathPoint p = PathPoint.at(s, t, b);
          Condition labels = new Condition(b.constant(LABELS, 4));
          ConditionalDenoiser m = gm.denoiser(s);
          Prediction guided = g.guide(m, labels).predict(x, p);
          Prediction plain = m.predict(x, p, model == Model.CONDITIONAL ? labels : Condition.none());
          return List.of(guided.x0(), guided.eps(), plain.x0(), plain.eps());
        });
        for (int j = 0; j < X.length; j++) {
          String fix = "at " + what + " " + g + " declares it is the " + model.name().toLowerCase()
              + " model; fix guide(ConditionalDenoiser, Condition) (the combination's weights at this scale), or"
              + " drop the declaration";
          assertThat(out.get(0)[j]).as("%s (%s, t = %s, value %d): x̂0 %s", g, s, t, j, fix)
              .isCloseTo(out.get(2)[j], within(1e-9 * (1 + Math.abs(out.get(2)[j]))));
          assertThat(out.get(1)[j]).as("%s (%s, t = %s, value %d): ε̂ %s", g, s, t, j, fix)
              .isCloseTo(out.get(3)[j], within(1e-9 * (1 + Math.abs(out.get(3)[j]))));
        }
      }
    }
  }

  /** evaluationsPerCall() equals the model's evaluations in one call (no network outside the model). */
  public static void assertEvaluationsPerCall(Guidance g) {
    assertEvaluationsPerCall(g, () -> 0);
  }

  /**
   * evaluationsPerCall() equals the model's evaluations in one call plus {@code otherCalls} (the
   * count, read after the call, of networks the guidance holds itself, such as a classifier).
   */
  public static void assertEvaluationsPerCall(Guidance g, IntSupplier otherCalls) {
    Schedule s = SolverConformance.vp();
    int[] counted = {0};
    int[] declared = {0};
    int before = otherCalls.getAsInt();
    FlowMapConformance.run(b -> {
      ConditionalDenoiser m = mixture().denoiser(s);
      ConditionalDenoiser counting = new ConditionalDenoiser() {
        @Override
        public Prediction predict(Tensor x, PathPoint p, Condition c) {
          counted[0]++;
          return m.predict(x, p, c);
        }

        @Override
        public List<Prediction> predictAll(Tensor x, PathPoint p, List<Condition> conditions) {
          counted[0] += conditions.size();
          List<Prediction> out = new ArrayList<>();
          conditions.forEach(c -> out.add(m.predict(x, p, c)));
          return out;
        }
      };
      Denoiser d = g.guide(counting, new Condition(b.constant(LABELS, 4)));
      declared[0] = d.evaluationsPerCall();
      return List.of(d.predict(b.constant(X, 4, 2), PathPoint.at(s, 0.5, b)).x0());
    });
    int calls = counted[0] + otherCalls.getAsInt() - before;
    assertThat(declared[0]).as("%s: one call of the guided denoiser evaluated the network %d times (%d through the"
        + " model, %d elsewhere) but its evaluationsPerCall() says %d; override Denoiser.evaluationsPerCall() in the"
        + " denoiser guide(...) returns", g, calls, counted[0], calls - counted[0], declared[0]).isEqualTo(calls);
  }
}
