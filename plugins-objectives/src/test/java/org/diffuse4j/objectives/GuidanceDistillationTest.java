package org.diffuse4j.objectives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.diffuse4j.objectives.ConsistencyDistillationTest.fetch;

import java.util.List;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.ConstantNoise;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Teacher;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.TrainingNetworks;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.objectives.ProgressiveDistillation.Weight;
import org.diffuse4j.schedules.RectifiedFlow;
import org.diffuse4j.schedules.VariancePreserving;
import org.diffuse4j.schedules.X0Parameterisation;
import org.diffuse4j.solvers.exponential.Ddim;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * Guidance distillation (Meng et al. 2023, §4.1) with the class-conditional analytic mixture as the
 * teacher: the target is x̂_u + w (x̂_c − x̂_u) of the closed-form posterior means (the class's own
 * Gaussian and the whole mixture) at each example's w; the loss is zero for a student that is the
 * guided teacher at the w it reads, and not for one that ignores w; w is uniform on [w_min, w_max].
 */
class GuidanceDistillationTest {
  static final Schedule RF = new RectifiedFlow();
  static final GaussianMixture GM = GaussianMixture.standard2d();
  static final double[] X0 = {-1.4, 0.2, 1.2, 0.9, 0.3, -1.1, -0.2, 0.1};
  static final double[] EPS = {0.5, -1.3, 0.8, 0.2, -0.4, 1.6, 1.1, -0.7};
  static final double[] T = {0.9, 0.5, 0.25, 0.05};
  static final double[] LABELS = {0, 1, 2, 1};
  static final double[] W = {1, 2.5, 4, 0};

  static TrainingBatch batch(Backend b, double[] weight) {
    return new TrainingBatch(b.constant(X0, 4, 2), b.constant(EPS, 4, 2), PathPoint.columns(RF, T, b),
        b.constant(weight, 4, 1), new Condition(b.constant(LABELS, 4)), new ConstantNoise(7, 0));
  }

  /** x̂_u + w (x̂_c − x̂_u) from the closed-form posterior means. */
  static double[] byHand(int row, double w) {
    double t = T[row];
    double[] x = new double[2];
    for (int j = 0; j < 2; j++) {
      x[j] = RF.alpha(t) * X0[2 * row + j] + RF.sigma(t) * EPS[2 * row + j];
    }
    int k = (int) LABELS[row];
    GaussianMixture one = new GaussianMixture(new double[][] {GM.means()[k]}, new double[] {GM.stds()[k]}, new double[] {1});
    double[] c = one.posteriorMean(RF, t, x);
    double[] u = GM.posteriorMean(RF, t, x);
    return new double[] {u[0] + w * (c[0] - u[0]), u[1] + w * (c[1] - u[1])};
  }

  @Test
  void targetIsTheCfgCombinationAndTheGuidedTeacherHasLossZero() {
    GuidanceDistillation gd = new GuidanceDistillation(1, 5, Weight.TRUNCATED_SNR, false);
    Objective bound = gd.bind(RF);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      ConditionalDenoiser exact = GM.denoiser(RF);
      Teacher teacher = new Teacher(exact, null, RF, new Ddim(0));
      TrainingBatch batch = batch(b, new double[] {1, 1, 1, 1});
      double[] target = fetch(s, gd.target(batch, teacher, b.constant(W, 4, 1)));
      for (int i = 0; i < 4; i++) {
        double[] want = byHand(i, W[i]);
        assertThat(target[2 * i]).as("row %d", i).isCloseTo(want[0], within(1e-9));
        assertThat(target[2 * i + 1]).as("row %d", i).isCloseTo(want[1], within(1e-9));
      }
      // the student that is the guided teacher at the w it reads (x0 parameterisation: its output is x̂0)
      PathPoint p = batch.point();
      Network guided = (x, t, c) -> {
        List<Prediction> both = exact.predictAll(x, p, List.of(Condition.of(c.labels()), Condition.none()));
        return both.get(1).x0().plus(both.get(0).x0().minus(both.get(1).x0()).times(c.scale()));
      };
      Network conditional = (x, t, c) -> exact.predict(x, p, Condition.of(c.labels())).x0();
      double[] w = {1, 1, 1, 1};
      double[] zero = fetch(s, bound.loss(batch(b, w), new TrainingNetworks(guided, null, teacher), new X0Parameterisation()));
      double[] off = fetch(s, bound.loss(batch(b, w), new TrainingNetworks(conditional, null, teacher), new X0Parameterisation()));
      double[] drawn = fetch(s, gd.scales(batch));
      assertThat(zero).hasSize(4);
      for (int i = 0; i < 4; i++) {
        assertThat(zero[i]).as("row %d", i).isCloseTo(0, within(1e-18));
        assertThat(drawn[i]).isBetween(1.0, 5.0);
        // the conditional model is the guided teacher at w = 1 only: its loss is ‖(w − 1)(x̂_c − x̂_u)‖²
        double[] c = byHand(i, 1);
        double[] guidedRow = byHand(i, drawn[i]);
        double want = Math.pow(guidedRow[0] - c[0], 2) + Math.pow(guidedRow[1] - c[1], 2);
        assertThat(off[i]).as("row %d", i).isCloseTo(want, within(1e-9 * (1 + want)));
      }
      assertThat(off[1] + off[2]).isGreaterThan(1e-4);
      assertThat(drawn[0]).isNotEqualTo(drawn[1]);
    }
  }

  @Test
  void scalesAreUniformOnTheRange() {
    GuidanceDistillation gd = new GuidanceDistillation(1, 5, Weight.NONE, false);
    int n = 4000;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      TrainingBatch batch = new TrainingBatch(b.constant(new double[2 * n], n, 2), b.constant(new double[2 * n], n, 2),
          PathPoint.columns(RF, new double[n], b), b.constant(new double[n], n, 1), Condition.none(), new ConstantNoise(3, 0));
      double[] w = fetch(s, gd.scales(batch));
      double mean = 0;
      double below2 = 0;
      for (double v : w) {
        assertThat(v).isBetween(1.0, 5.0);
        mean += v / n;
        below2 += v < 2 ? 1.0 / n : 0;
      }
      // U[1, 5]: mean 3 (sd of the mean 1.155/√4000 = 0.018), P(w < 2) = 1/4 (sd 0.007)
      assertThat(mean).isCloseTo(3, within(0.08));
      assertThat(below2).isCloseTo(0.25, within(0.03));
    }
  }

  @Test
  void weightsRefusalsAndNeeds() {
    GuidanceDistillation gd = new GuidanceDistillation(1, 5, Weight.TRUNCATED_SNR, false);
    Schedule vp = new VariancePreserving(0.1, 20);
    assertThat(gd.weight(RF, 0.2)).isCloseTo(16.0, within(1e-12)); // SNR = (0.8/0.2)² = 16
    assertThat(gd.weight(RF, 0.8)).isCloseTo(1.0, within(1e-12)); // max(1/16, 1)
    assertThat(gd.needs()).containsExactly(Objective.Need.TEACHER);
    assertThat(gd.feedsGuidanceScale()).isTrue();
    assertThat(gd.sampleTime(RF, 0.5)).isCloseTo((RF.tMin() + RF.tMax()) / 2, within(1e-15));
    assertThatThrownBy(() -> new GuidanceDistillation(3, 2, Weight.NONE, false)).hasMessageContaining("w_min <= w_max");
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      Teacher onVp = new Teacher(GM.denoiser(vp), null, vp, new Ddim(0));
      Network any = (x, t, c) -> x;
      assertThatThrownBy(() -> gd.bind(RF).loss(batch(b, new double[] {1, 1, 1, 1}), new TrainingNetworks(any, null, onVp),
          new X0Parameterisation())).hasMessageContaining("teacher's schedule");
      assertThatThrownBy(() -> gd.loss(batch(b, new double[] {1, 1, 1, 1}), any, new X0Parameterisation()))
          .hasMessageContaining("teacher: {run: DIR}");
    }
  }
}
