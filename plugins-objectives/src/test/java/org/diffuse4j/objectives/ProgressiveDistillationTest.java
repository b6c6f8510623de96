package org.diffuse4j.objectives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.diffuse4j.objectives.ConsistencyDistillationTest.fetch;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConstantNoise;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.PathPoint;
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
 * Progressive distillation (Salimans &amp; Ho 2022, Alg. 2) with the exact denoiser of point-mass and
 * Gaussian data as the teacher (DDIM): the target x̃ against the paper's formula written out in z
 * (two DDIM steps of the closed-form denoiser, then (z'' − (σ''/σ) z)/(α'' − (σ''/σ) α)), the loss and
 * its gradient on a linear student, the weights and the grid.
 */
class ProgressiveDistillationTest {
  static final Schedule RF = new RectifiedFlow();
  static final Schedule VP = new VariancePreserving(0.1, 20);

  /** The exact denoiser of N(m, c²I) at (z, t): m + α c²/(α² c² + σ²)(z − α m) (c = 0: the point m). */
  static double[] x0Hat(Schedule s, double t, double[] z, double m, double c) {
    double a = s.alpha(t);
    double sg = s.sigma(t);
    double[] out = new double[z.length];
    for (int j = 0; j < z.length; j++) {
      out[j] = m + a * c * c / (a * a * c * c + sg * sg) * (z[j] - a * m);
    }
    return out;
  }

  /** One DDIM step z ↦ α_to x̂0 + σ_to (z − α x̂0)/σ with the exact denoiser. */
  static double[] ddim(Schedule s, double from, double to, double[] z, double m, double c) {
    double[] x0 = x0Hat(s, from, z, m, c);
    double[] out = new double[z.length];
    for (int j = 0; j < z.length; j++) {
      double eps = (z[j] - s.alpha(from) * x0[j]) / s.sigma(from);
      out[j] = s.alpha(to) * x0[j] + s.sigma(to) * eps;
    }
    return out;
  }

  /** The paper's x̃ = (z'' − (σ''/σ) z)/(α'' − (σ''/σ) α) after the teacher's steps t → (t + t'')/2 → t''. */
  static double[] target(Schedule s, double t, double tEnd, double[] z, double m, double c) {
    double[] z2 = ddim(s, (t + tEnd) / 2, tEnd, ddim(s, t, (t + tEnd) / 2, z, m, c), m, c);
    double k = s.sigma(tEnd) / s.sigma(t);
    double[] out = new double[z.length];
    for (int j = 0; j < z.length; j++) {
      out[j] = (z2[j] - k * z[j]) / (s.alpha(tEnd) - k * s.alpha(t));
    }
    return out;
  }

  /** A batch at the start times of steps {@code steps[i]} of {@code pd}'s grid, dim 2. */
  static TrainingBatch batch(ProgressiveDistillation pd, Schedule s, Backend b, double[] x0, double[] eps, int[] steps) {
    int n = steps.length;
    double[] g = pd.grid(s);
    double[] t = new double[n];
    double[] tEnd = new double[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = g[steps[i]];
      tEnd[i] = pd.pairedTime(s, t[i], 0);
      w[i] = pd.weight(s, t[i]);
    }
    return new TrainingBatch(b.constant(x0, n, 2), b.constant(eps, n, 2), PathPoint.columns(s, t, b), b.constant(w, n, 1),
        Condition.none(), new ConstantNoise(3, 0), PathPoint.columns(s, tEnd, b));
  }

  static double[] draws(int n, long stream) {
    double[] out = new double[2 * n];
    for (int i = 0; i < 2 * n; i++) {
      out[i] = CounterNoise.gaussian(11, i, stream, 0);
    }
    return out;
  }

  @Test
  void gridIsUniformInTimeAndPairsEachStartWithTheNextTime() {
    ProgressiveDistillation pd = new ProgressiveDistillation(4, -1, -1, Weight.TRUNCATED_SNR, true);
    double[] g = pd.grid(RF);
    double[] want = {0.9999, 0.74995, 0.5, 0.25005, 0.0001}; // 0.9999 − 0.9998·k/4
    for (int k = 0; k < 5; k++) {
      assertThat(g[k]).isCloseTo(want[k], within(1e-14));
    }
    // u in the k-th quarter gives start t_{3−k}; its pair is t_{4−k}
    assertThat(pd.sampleTime(RF, 0.1)).isEqualTo(g[3]);
    assertThat(pd.sampleTime(RF, 0.3)).isEqualTo(g[2]);
    assertThat(pd.sampleTime(RF, 0.6)).isEqualTo(g[1]);
    assertThat(pd.sampleTime(RF, 0.99)).isEqualTo(g[0]);
    for (int i = 0; i < 4; i++) {
      assertThat(pd.pairedTime(RF, g[i], 0)).isEqualTo(g[i + 1]);
    }
    // the paper's grid t_i = i/N (here from the schedule's tMax, ending at the data)
    double[] paper = new ProgressiveDistillation(2, 0.5, 0, Weight.NONE, true).grid(RF);
    assertThat(paper).containsExactly(0.5, 0.25, 0.0);
    assertThat(new ProgressiveDistillation(2, 0.5, 0, Weight.NONE, true).needs()).hasSize(2);
    assertThat(new ProgressiveDistillation(2, 0.5, 0, Weight.NONE, false).needs()).hasSize(1);
    assertThatThrownBy(() -> new ProgressiveDistillation(2, 1.0, 0, Weight.NONE, true).grid(RF))
        .hasMessageContaining("t_max <= the schedule's tMax");
  }

  @Test
  void weightsAreThePapersFunctionsOfTheSnr() {
    // rectified flow: SNR = ((1 − t)/t)²; t = 0.2 → 16, t = 0.8 → 1/16
    assertThat(new ProgressiveDistillation(2, -1, -1, Weight.TRUNCATED_SNR, true).weight(RF, 0.2)).isCloseTo(16, within(1e-12));
    assertThat(new ProgressiveDistillation(2, -1, -1, Weight.TRUNCATED_SNR, true).weight(RF, 0.8)).isEqualTo(1.0);
    assertThat(new ProgressiveDistillation(2, -1, -1, Weight.SNR_PLUS_ONE, true).weight(RF, 0.2)).isCloseTo(17, within(1e-12));
    assertThat(new ProgressiveDistillation(2, -1, -1, Weight.SNR_PLUS_ONE, true).weight(RF, 0.8))
        .isCloseTo(1.0625, within(1e-12));
    assertThat(new ProgressiveDistillation(2, -1, -1, Weight.NONE, true).weight(RF, 0.2)).isEqualTo(1.0);
    assertThat(Weight.of("snr+1")).isEqualTo(Weight.SNR_PLUS_ONE);
    assertThat(Weight.of("truncated-snr")).isEqualTo(Weight.TRUNCATED_SNR);
    assertThatThrownBy(() -> Weight.of("min-snr")).hasMessageContaining("truncated-snr, snr+1, none");
  }

  @Test
  void onPointMassDataTheTargetIsThePointAtEveryStepIncludingTheLastToData() {
    // x0 = m: the exact denoiser is m at every (z, t), so DDIM is exact and x̃ = m whatever the steps
    double m = 0.7;
    GaussianMixture point = new GaussianMixture(new double[][] {{m, m}}, new double[] {0}, new double[] {1});
    for (Schedule s : new Schedule[] {RF, VP}) {
      for (double tMin : new double[] {-1, 0}) {
        ProgressiveDistillation pd = new ProgressiveDistillation(4, -1, tMin, Weight.TRUNCATED_SNR, true);
        int[] steps = {0, 1, 2, 3, 3, 0};
        double[] x0 = new double[12];
        java.util.Arrays.fill(x0, m);
        try (Graph g = new Graph(); Session session = new Session(g)) {
          Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
          Teacher teacher = new Teacher(point.denoiser(s), null, s, new Ddim(0));
          double[] got = fetch(session, pd.target(batch(pd, s, b, x0, draws(6, 1), steps), teacher));
          for (double v : got) {
            assertThat(v).as("%s, t_min %s", s, tMin).isCloseTo(m, within(1e-9));
          }
        }
      }
    }
  }

  @Test
  void onGaussianDataTheTargetIsThePapersFormulaAfterTwoTeacherSteps() {
    // N(m, c²I): DDIM with the exact denoiser is not exact, so one step and two differ and x̃ is not x̂0;
    // the hand computation runs the two steps in z and applies the formula in z, the graph in y = x/α and r = σ/α
    double m = 1.5;
    double c = 0.7;
    GaussianMixture gauss = new GaussianMixture(new double[][] {{m, m}}, new double[] {c}, new double[] {1});
    for (Schedule s : new Schedule[] {RF, VP}) {
      for (double tMin : new double[] {-1, 0}) {
        ProgressiveDistillation pd = new ProgressiveDistillation(3, -1, tMin, Weight.TRUNCATED_SNR, true);
        double[] grid = pd.grid(s);
        int[] steps = {2, 0, 1, 2, 0};
        double[] x0 = new double[10];
        double[] eps = draws(5, 2);
        double[] d = draws(5, 3);
        for (int i = 0; i < 10; i++) {
          x0[i] = m + c * d[i];
        }
        try (Graph g = new Graph(); Session session = new Session(g)) {
          Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
          Teacher teacher = new Teacher(gauss.denoiser(s), null, s, new Ddim(0));
          double[] got = fetch(session, pd.target(batch(pd, s, b, x0, eps, steps), teacher));
          double gap = 0;
          for (int i = 0; i < steps.length; i++) {
            double t = grid[steps[i]];
            double tEnd = grid[steps[i] + 1];
            double[] z = {s.alpha(t) * x0[2 * i] + s.sigma(t) * eps[2 * i], s.alpha(t) * x0[2 * i + 1] + s.sigma(t) * eps[2 * i + 1]};
            double[] want = target(s, t, tEnd, z, m, c);
            double[] oneStep = x0Hat(s, t, z, m, c);
            for (int j = 0; j < 2; j++) {
              assertThat(got[2 * i + j]).as("%s, t_min %s, row %d", s, tMin, i)
                  .isCloseTo(want[j], within(1e-9 * (1 + Math.abs(want[j]))));
              gap = Math.max(gap, Math.abs(want[j] - oneStep[j]));
            }
          }
          assertThat(gap).as("x̃ differs from the teacher's own x̂0").isGreaterThan(1e-3);
        }
      }
    }
  }

  @Test
  void lossAndGradientOnALinearStudentAreTheHandComputedOnes() {
    // student x̂0 = w z (x0-parameterisation): L_i = ω(t_i)·‖x̃_i − w z_i‖², dL/dw = −2 Σ_i ω_i (x̃_i − w z_i)·z_i
    double m = 1.5;
    double c = 0.7;
    GaussianMixture gauss = new GaussianMixture(new double[][] {{m, m}}, new double[] {c}, new double[] {1});
    ProgressiveDistillation pd = new ProgressiveDistillation(3, -1, 0, Weight.TRUNCATED_SNR, true);
    double[] grid = pd.grid(RF);
    int[] steps = {0, 1, 2, 2};
    double[] x0 = {0.4, -1.0, 1.3, 0.2, 2.1, 1.7, 0.9, 1.1};
    double[] eps = {1.2, 0.5, -0.7, 0.9, 0.3, -1.4, 0.8, 0.1};
    double w = 0.8;
    double[] want = new double[steps.length];
    double grad = 0;
    for (int i = 0; i < steps.length; i++) {
      double t = grid[steps[i]];
      double[] z = {RF.alpha(t) * x0[2 * i] + RF.sigma(t) * eps[2 * i], RF.alpha(t) * x0[2 * i + 1] + RF.sigma(t) * eps[2 * i + 1]};
      double[] xt = target(RF, t, grid[steps[i] + 1], z, m, c);
      double snr = Math.pow(RF.alpha(t) / RF.sigma(t), 2);
      double omega = Math.max(snr, 1);
      for (int j = 0; j < 2; j++) {
        want[i] += omega * Math.pow(xt[j] - w * z[j], 2);
        grad += -2 * omega * (xt[j] - w * z[j]) * z[j];
      }
    }
    try (Graph g = new Graph(); Session session = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      Tensor wv = b.scalar(w);
      Network student = (x, t, cond) -> x.times(wv);
      Teacher teacher = new Teacher(gauss.denoiser(RF), null, RF, new Ddim(0));
      Tensor loss = pd.loss(batch(pd, RF, b, x0, eps, steps), new TrainingNetworks(student, null, teacher),
          new X0Parameterisation());
      double[] got = fetch(session, loss);
      double[] gotGrad = fetch(session, loss.sum().gradient(wv));
      assertThat(got).hasSize(steps.length);
      for (int i = 0; i < steps.length; i++) {
        assertThat(got[i]).isCloseTo(want[i], within(1e-10 * (1 + want[i])));
      }
      assertThat(gotGrad[0]).isCloseTo(grad, within(1e-9 * (1 + Math.abs(grad))));
    }
  }

  /** The analytic class-conditional mixture guided at the condition's own w: x̂_u + w (x̂_c − x̂_u). */
  static Tensor guidedX0(Tensor x, PathPoint p, Condition c) {
    java.util.List<org.diffuse4j.api.Prediction> both = GM.denoiser(RF).predictAll(x, p,
        java.util.List.of(Condition.of(c.labels()), Condition.none()));
    Tensor u = both.get(1).x0();
    return u.plus(both.get(0).x0().minus(u).times(c.scale()));
  }

  /** Guided x̂0 of the closed-form posterior means (class k's Gaussian and the whole mixture) at (z, t), scale w. */
  static double[] guidedByHand(double t, double[] z, int k, double w) {
    GaussianMixture one = new GaussianMixture(new double[][] {GM.means()[k]}, new double[] {GM.stds()[k]}, new double[] {1});
    double[] c = one.posteriorMean(RF, t, z);
    double[] u = GM.posteriorMean(RF, t, z);
    return new double[] {u[0] + w * (c[0] - u[0]), u[1] + w * (c[1] - u[1])};
  }

  /** One DDIM step in z with the guided closed-form x̂0. */
  static double[] guidedDdim(double from, double to, double[] z, int k, double w) {
    double[] x0 = guidedByHand(from, z, k, w);
    double[] out = new double[2];
    for (int j = 0; j < 2; j++) {
      double eps = (z[j] - RF.alpha(from) * x0[j]) / RF.sigma(from);
      out[j] = RF.alpha(to) * x0[j] + RF.sigma(to) * eps;
    }
    return out;
  }

  static final GaussianMixture GM = GaussianMixture.standard2d();

  @Test
  void withAGuidanceScaleEachRowTakesTheGuidedTeachersTwoStepsAtItsOwnW() {
    // Meng et al. 2023 stage two: the teacher reads w (here the analytic mixture guided in closed form at
    // the condition's scale); its own guidance (a fixed w = 3, as 'distilled' would put) must not be used
    ProgressiveDistillation pd = new ProgressiveDistillation(4, -1, -1, Weight.TRUNCATED_SNR, false, 1, 5);
    double[] x0 = {-1.4, 0.2, 1.2, 0.9, 0.3, -1.1, -0.2, 0.1};
    double[] eps = {0.5, -1.3, 0.8, 0.2, -0.4, 1.6, 1.1, -0.7};
    double[] labels = {0, 1, 2, 1};
    double[] w = {1, 2.5, 4, 0};
    int[] steps = {0, 1, 2, 3};
    org.diffuse4j.api.ConditionalDenoiser reader = (x, p, c) -> new X0Parameterisation().interpret(guidedX0(x, p, c), x, p);
    org.diffuse4j.api.Guidance fixed = (model, c) -> (x, p) -> model.predict(x, p, c.withScale(x.backend().scalar(3)));
    Teacher teacher = new Teacher(reader, fixed, RF, new Ddim(0));
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      TrainingBatch plain = batch(pd, RF, b, x0, eps, steps);
      TrainingBatch batch = new TrainingBatch(plain.x0(), plain.eps(), plain.point(), plain.weight(),
          new Condition(b.constant(labels, 4)), new ConstantNoise(5, 0), plain.paired());
      double[] perRow = fetch(s, pd.target(batch, teacher, batch.condition().withScale(b.constant(w, 4, 1))));
      double[] atThree = fetch(s, pd.target(batch, teacher));
      double[] grid = pd.grid(RF);
      for (int i = 0; i < 4; i++) {
        double t = grid[steps[i]];
        double tEnd = grid[steps[i] + 1];
        double[] z = {RF.alpha(t) * x0[2 * i] + RF.sigma(t) * eps[2 * i], RF.alpha(t) * x0[2 * i + 1] + RF.sigma(t) * eps[2 * i + 1]};
        for (double[] c : new double[][] {{w[i], 0}, {3, 1}}) {
          double[] z2 = guidedDdim((t + tEnd) / 2, tEnd, guidedDdim(t, (t + tEnd) / 2, z, (int) labels[i], c[0]), (int) labels[i], c[0]);
          double k = RF.sigma(tEnd) / RF.sigma(t);
          double[] got = c[1] == 0 ? perRow : atThree;
          for (int j = 0; j < 2; j++) {
            double want = (z2[j] - k * z[j]) / (RF.alpha(tEnd) - k * RF.alpha(t));
            assertThat(got[2 * i + j]).as("row %d, w %s", i, c[0]).isCloseTo(want, within(1e-9 * (1 + Math.abs(want))));
          }
        }
      }
      assertThat(Math.abs(perRow[2] - atThree[2]) + Math.abs(perRow[4] - atThree[4])).isGreaterThan(1e-3);

      // the student that is the guided teacher's two-step map (written with tensor ops here) has loss 0 at the
      // w the objective draws; one that ignores w (the conditional model, w = 1) does not
      PathPoint p = batch.point();
      PathPoint q = batch.paired();
      double[] tMid = new double[4];
      for (int i = 0; i < 4; i++) {
        tMid[i] = (grid[steps[i]] + grid[steps[i] + 1]) / 2;
      }
      PathPoint m = PathPoint.columns(RF, tMid, b);
      Network twoSteps = (x, t, c) -> {
        Tensor a = guidedX0(x, p, c);
        Tensor z1 = a.times(m.alpha()).plus(x.minus(a.times(p.alpha())).times(m.sigma().div(p.sigma())));
        Tensor a2 = guidedX0(z1, m, c);
        Tensor z2 = a2.times(q.alpha()).plus(z1.minus(a2.times(m.alpha())).times(q.sigma().div(m.sigma())));
        Tensor k = q.sigma().div(p.sigma());
        return z2.minus(x.times(k)).div(q.alpha().minus(p.alpha().times(k)));
      };
      Network ignoresW = (x, t, c) -> twoSteps.apply(x, t, c.withScale(x.backend().scalar(1)));
      double[] zero = fetch(s, pd.loss(batch, new TrainingNetworks(twoSteps, null, teacher), new X0Parameterisation()));
      double[] off = fetch(s, pd.loss(batch, new TrainingNetworks(ignoresW, null, teacher), new X0Parameterisation()));
      double[] drawn = fetch(s, pd.scales(batch));
      for (int i = 0; i < 4; i++) {
        assertThat(zero[i]).as("row %d", i).isCloseTo(0, within(1e-18));
        assertThat(drawn[i]).isBetween(1.0, 5.0);
      }
      assertThat(off[1] + off[2]).isGreaterThan(1e-4);
      assertThat(drawn[0]).isNotEqualTo(drawn[1]);
      assertThat(pd.feedsGuidanceScale()).isTrue();
      assertThat(pd.feedsTeacherGuidanceScale()).isTrue();
      assertThat(new ProgressiveDistillation(4, -1, -1, Weight.NONE, true).feedsGuidanceScale()).isFalse();
      assertThatThrownBy(() -> new ProgressiveDistillation(4, -1, -1, Weight.NONE, true, 3, 2)).hasMessageContaining("w_min <= w_max");
    }
  }
}
