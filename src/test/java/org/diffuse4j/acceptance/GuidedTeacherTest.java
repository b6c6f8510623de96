package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.Guidance;
import org.diffuse4j.api.Inversion;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.Teacher;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * A guided teacher (docs/few-step.md, "Objectives with more than one network"): with classifier-free
 * guidance its ODE step follows the guided velocity v_u + w (v_c − v_u), on a class-conditional
 * analytic model (class 0 one Gaussian, no label the two-class mixture), checked against Euler
 * written out here on the mixtures' closed-form posterior means.
 */
class GuidedTeacherTest {
  static final PluginRegistry REGISTRY = PluginRegistry.discover(GuidedTeacherTest.class.getClassLoader());
  static final GaussianMixture CLASS0 = new GaussianMixture(new double[][] {{1.0, 0.5}}, new double[] {0.4}, new double[] {1});
  static final GaussianMixture BOTH =
      new GaussianMixture(new double[][] {{1.0, 0.5}, {-1.0, -0.5}}, new double[] {0.4, 0.4}, new double[] {0.5, 0.5});
  static final double[] Y = {0.3, -0.8, 1.4, 0.2};

  /** The teacher's step of y = x/α from σ/α = 2 to 0.5 on rectified flow, with Euler and CFG at scale w. */
  static double[] teacherStep(double w) {
    Schedule rf = REGISTRY.create(Kind.SCHEDULE, "rectified-flow", "schedule");
    Solver euler = REGISTRY.create(Kind.SOLVER, "euler", "solver");
    Guidance cfg = REGISTRY.create(Kind.GUIDANCE, Map.of("name", "cfg", "scale", w), "guidance");
    ConditionalDenoiser model = (x, p, c) -> (c.isConditional() ? CLASS0 : BOTH).denoiser(rf).predict(x, p, Condition.none());
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      Teacher teacher = new Teacher(model, cfg, rf, euler);
      Tensor y = b.constant(Y, 2, 2);
      Tensor out = teacher.step(y, 2.0, 0.5, new Condition(b.constant(new double[] {0, 0}, 2)), Inversion.NO_NOISE);
      try (Result r = s.runner().fetch(out.op()).run()) {
        return Feeds.values(r.get(0));
      }
    }
  }

  /** Euler in t on rectified flow (v = ε̂ − x̂0) with the guided velocity, from the closed forms. */
  static double[] byHand(double w) {
    Schedule rf = REGISTRY.create(Kind.SCHEDULE, "rectified-flow", "schedule");
    double ts = rf.timeOfLambda(-Math.log(2.0));
    double tt = rf.timeOfLambda(-Math.log(0.5));
    double[] out = new double[Y.length];
    for (int row = 0; row < 2; row++) {
      double[] x = {Y[2 * row] * rf.alpha(ts), Y[2 * row + 1] * rf.alpha(ts)};
      double[] x0c = CLASS0.posteriorMean(rf, ts, x);
      double[] x0u = BOTH.posteriorMean(rf, ts, x);
      for (int i = 0; i < 2; i++) {
        double vc = (x[i] - x0c[i]) / ts; // v = ε̂ − x̂0 = (x − x̂0)/t on α = 1 − t, σ = t
        double vu = (x[i] - x0u[i]) / ts;
        double v = vu + w * (vc - vu);
        out[2 * row + i] = (x[i] + (tt - ts) * v) / rf.alpha(tt);
      }
    }
    return out;
  }

  @Test
  void aGuidedTeacherStepsAlongTheGuidedVelocity() {
    double[] guided = teacherStep(3.0);
    double[] expected = byHand(3.0);
    double[] conditional = teacherStep(1.0);
    for (int i = 0; i < Y.length; i++) {
      assertThat(guided[i]).as("row value %d", i).isCloseTo(expected[i], within(1e-10));
      assertThat(conditional[i]).isCloseTo(byHand(1.0)[i], within(1e-10));
    }
    // guidance changes the step: at w = 3 the end point is not the conditional model's
    double most = 0;
    for (int i = 0; i < Y.length; i++) {
      most = Math.max(most, Math.abs(guided[i] - conditional[i]));
    }
    assertThat(most).isGreaterThan(1e-2);
  }
}
