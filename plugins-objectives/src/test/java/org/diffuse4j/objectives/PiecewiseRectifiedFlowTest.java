package org.diffuse4j.objectives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.diffuse4j.objectives.ConsistencyDistillationTest.eulerStep;
import static org.diffuse4j.objectives.ConsistencyDistillationTest.fetch;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConstantNoise;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.Teacher;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.TrainingNetworks;
import org.diffuse4j.api.analytic.GaussianFlowMap;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.analytic.ReferenceSolution;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.objectives.PiecewiseRectifiedFlow.Segment;
import org.diffuse4j.schedules.GridBounds;
import org.diffuse4j.schedules.RectifiedFlow;
import org.diffuse4j.schedules.UniformGrid;
import org.diffuse4j.schedules.VariancePreserving;
import org.diffuse4j.schedules.VelocityParameterisation;
import org.diffuse4j.solvers.ButcherTableau;
import org.diffuse4j.solvers.RungeKutta;
import org.diffuse4j.solvers.exponential.Ddim;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * PeRFlow (Yan et al. 2024) with exact teachers: the windows are the uniform grid's, the window end
 * points are the exact Gaussian flow map and the mixture's reference ODE solution, the loss and its
 * gradient on a linear student are the hand-computed ones, and K steps of the ideal student on the
 * uniform grid with K steps land on the teacher's window end points (Euler on rectified flow, DDIM on
 * any schedule; Euler on VP does not).
 */
class PiecewiseRectifiedFlowTest {
  static final Schedule RF = new RectifiedFlow();
  static final Schedule VP = new VariancePreserving(0.1, 20);
  static final GaussianFlowMap GAUSS = new GaussianFlowMap(new double[] {1.5, -0.5}, 0.7);

  /** A batch on {@code s} at per-row times {@code t}, weight 1, no condition. */
  static TrainingBatch batch(Backend b, Schedule s, double[] x0, double[] eps, double[] t) {
    int n = t.length;
    double[] ones = new double[n];
    java.util.Arrays.fill(ones, 1);
    return new TrainingBatch(b.constant(x0, n, 2), b.constant(eps, n, 2), PathPoint.columns(s, t, b),
        b.constant(ones, n, 1), Condition.none(), new ConstantNoise(3, 0));
  }

  /** The window j (0-based) holding t: T_{j+1} &lt; t ≤ T_j. */
  static int window(double[][] w, double t) {
    int j = 0;
    while (j + 1 < w.length && t <= w[j + 1][0]) {
      j++;
    }
    return j;
  }

  @Test
  void windowsAreTheUniformGridsTimes() {
    for (Schedule s : new Schedule[] {RF, VP}) {
      double[] grid = new UniformGrid(GridBounds.DEFAULT).times(s, 4);
      double[] fine = new UniformGrid(GridBounds.DEFAULT).times(s, 12);
      double[][] w = PiecewiseRectifiedFlow.windowTimes(s, 4, 3);
      for (int j = 0; j < 4; j++) {
        assertThat(w[j][0]).isEqualTo(grid[j]);
        assertThat(w[j][3]).isEqualTo(grid[j + 1]);
        for (int m = 0; m <= 3; m++) {
          assertThat(w[j][m]).isEqualTo(fine[3 * j + m]);
        }
      }
    }
  }

  @Test
  void windowEndsAreTheTeachersOdeSolution() {
    // K = 4 windows, M = 8 RK4 teacher steps each; rows at edges and inside windows. Gaussian data on rectified
    // flow against the closed-form flow map; the 2-D mixture on VP against the Dormand–Prince reference
    double[] t = {0.9999, 0.9, 0.74995, 0.6, 0.5, 0.3, 0.2, 0.0001};
    int n = t.length;
    double[] eps = CounterNoise.gaussian(3, 0, n, 2, 1);
    PiecewiseRectifiedFlow perflow = new PiecewiseRectifiedFlow(4, 8, false);
    GaussianMixture mix = GaussianMixture.standard2d();
    Object[][] cases = {{RF, GAUSS.asMixture(), 2e-7}, {VP, mix, 2e-4}};
    for (Object[] c : cases) {
      Schedule s = (Schedule) c[0];
      GaussianMixture data = (GaussianMixture) c[1];
      double tol = (double) c[2];
      double[] x0 = data.sample(5, 0, n);
      double[][] w = PiecewiseRectifiedFlow.windowTimes(s, 4, 8);
      try (Graph g = new Graph(); Session ses = new Session(g)) {
        Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
        Teacher teacher = new Teacher(data.denoiser(s), null, s, new RungeKutta(ButcherTableau.RK4));
        Segment seg = perflow.segment(batch(b, s, x0, eps, t), teacher);
        double[] yStart = fetch(ses, seg.yStart());
        double[] yEnd = fetch(ses, seg.yEnd());
        double worst = 0;
        for (int i = 0; i < n; i++) {
          int j = window(w, t[i]);
          double ts = w[j][0];
          double te = w[j][8];
          double[] xs = new double[2];
          for (int d = 0; d < 2; d++) {
            xs[d] = s.alpha(ts) * x0[2 * i + d] + s.sigma(ts) * eps[2 * i + d];
            assertThat(yStart[2 * i + d] * s.alpha(ts)).as("start of row %d", i).isCloseTo(xs[d], within(1e-12));
          }
          double[] want = s == RF ? GAUSS.jump(s, xs, ts, te) : ReferenceSolution.solve(data, s, ts, te, xs);
          for (int d = 0; d < 2; d++) {
            double err = Math.abs(yEnd[2 * i + d] * s.alpha(te) - want[d]);
            worst = Math.max(worst, err);
            assertThat(err).as("%s, row %d at t = %s (window %d), coordinate %d", s, i, t[i], j, d).isLessThan(tol);
          }
        }
        System.out.printf("perflow window ends on %s: worst error %.2e%n", s, worst);
      }
    }
  }

  @Test
  void lossAndGradientOnALinearStudentAreTheHandComputedOnes() {
    // K = 2 windows, M = 2 Euler teacher steps on the standard 2-D mixture (rectified flow); velocity student
    // v̂ = w x + 0.3 t. Row i: y_s = x0 + r_s ε, y_e = two Euler steps, ε* = (y_e − y_s)/(r_e − r_s),
    // x0* = y_e − r_e ε*, x_t = (1 − t) x0* + t ε*, target ε* − x0*; ℓ = mean_d (v̂ − target)², dℓ/dw = mean_d 2(v̂ − target) x_t
    GaussianMixture mix = GaussianMixture.standard2d();
    double[] t = {0.83, 0.21, 0.5};
    double[] x0 = {0.4, -1.0, 1.3, 0.2, -0.6, 0.8};
    double[] eps = {1.2, 0.5, -0.7, 0.9, 0.1, -1.4};
    double w = 0.7;
    double[][] win = PiecewiseRectifiedFlow.windowTimes(RF, 2, 2);
    double[] loss = new double[3];
    double grad = 0;
    for (int i = 0; i < 3; i++) {
      int j = window(win, t[i]);
      double[] r = new double[3];
      for (int m = 0; m < 3; m++) {
        r[m] = win[j][m] / (1 - win[j][m]);
      }
      double[] ys = {x0[2 * i] + r[0] * eps[2 * i], x0[2 * i + 1] + r[0] * eps[2 * i + 1]};
      double[] ye = eulerStep(mix, eulerStep(mix, ys, r[0], r[1]), r[1], r[2]);
      for (int d = 0; d < 2; d++) {
        double e = (ye[d] - ys[d]) / (r[2] - r[0]);
        double x0s = ye[d] - r[2] * e;
        double xt = (1 - t[i]) * x0s + t[i] * e;
        double diff = w * xt + 0.3 * t[i] - (e - x0s);
        loss[i] += diff * diff / 2;
        grad += diff * xt;
      }
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      Tensor wv = b.scalar(w);
      Network student = (x, time, c) -> x.times(wv).plus(time.times(0.3));
      Teacher teacher = new Teacher(mix.denoiser(RF), null, RF, new RungeKutta(ButcherTableau.EULER));
      Tensor l = new PiecewiseRectifiedFlow(2, 2, false).loss(batch(b, RF, x0, eps, t),
          new TrainingNetworks(student, null, teacher), new VelocityParameterisation());
      double[] got = fetch(s, l);
      double[] gotGrad = fetch(s, l.sum().gradient(wv));
      assertThat(got).hasSize(3);
      for (int i = 0; i < 3; i++) {
        assertThat(got[i]).as("row %d", i).isCloseTo(loss[i], within(1e-10 * (1 + loss[i])));
      }
      assertThat(gotGrad[0]).isCloseTo(grad, within(1e-10 * (1 + Math.abs(grad))));
    }
  }

  /** The ideal student: at (x, t) its prediction is the segment through x of the window starting at or above t. */
  static Denoiser ideal(PiecewiseRectifiedFlow perflow, Teacher teacher) {
    return (x, p) -> {
      Tensor col = x.mean(1).reshape(-1, 1).times(0);
      PathPoint pc = new PathPoint(col.plus(p.t()), col.plus(p.alpha()), col.plus(p.sigma()), col.plus(p.alphaDot()),
          col.plus(p.sigmaDot()));
      TrainingBatch b = new TrainingBatch(x.div(pc.alpha()), x.zerosLike(), pc, col.plus(1), Condition.none(),
          new ConstantNoise(3, 0));
      Segment seg = perflow.segment(b, teacher);
      return new Prediction(x, p, seg.x0(), seg.eps());
    };
  }

  /** The solver's K steps on the uniform grid with K steps, from x at tMax; evaluations counted. */
  static double[] sample(Solver solver, Denoiser model, Schedule s, int k, double[] x, int n) {
    try (Graph g = new Graph(); Session ses = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      double[] times = new UniformGrid(GridBounds.DEFAULT).times(s, k);
      SamplingProblem problem = new SamplingProblem(model, s, times, b.constant(x, n, 2), new ConstantNoise(1, 0));
      SolverState state = solver.init(problem);
      for (int i = 0; i < k; i++) {
        state = solver.step(problem, state);
      }
      return fetch(ses, state.x());
    }
  }

  /** The teacher's window end points in Java: RK4 on the Gaussian's velocity over each window's M steps. */
  static double[] teacherChain(Schedule s, double[] x, int k, int m) {
    double[][] w = PiecewiseRectifiedFlow.windowTimes(s, k, m);
    double[] y = x.clone();
    for (int j = 0; j < k; j++) {
      for (int i = 0; i < m; i++) {
        double t0 = w[j][i];
        double h = w[j][i + 1] - t0;
        double[] k1 = GAUSS.velocity(s, t0, y);
        double[] k2 = GAUSS.velocity(s, t0 + h / 2, axpy(y, h / 2, k1));
        double[] k3 = GAUSS.velocity(s, t0 + h / 2, axpy(y, h / 2, k2));
        double[] k4 = GAUSS.velocity(s, t0 + h, axpy(y, h, k3));
        for (int d = 0; d < y.length; d++) {
          y[d] += h / 6 * (k1[d] + 2 * k2[d] + 2 * k3[d] + k4[d]);
        }
      }
    }
    return y;
  }

  static double[] axpy(double[] y, double a, double[] v) {
    double[] out = y.clone();
    for (int d = 0; d < y.length; d++) {
      out[d] += a * v[d];
    }
    return out;
  }

  static double maxDiff(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  @Test
  void kStepsOfTheIdealStudentRecoverTheTeachersWindowEndPoints() {
    // Gaussian data, exact teacher stepped by RK4 (M = 2 per window: exactness does not depend on M, and the
    // end points' accuracy is checked above), K = 1, 2, 4. The ideal student's prediction
    // at a window's start is the segment's (x0*, ε*); one Euler step of its velocity α̇ x0* + σ̇ ε* per window on
    // rectified flow, and one DDIM step α_e x0* + σ_e ε* on any schedule, land on the teacher's end point
    int n = 6;
    double[] eps = CounterNoise.gaussian(9, 0, n, 2, 1);
    for (int k : new int[] {1, 2, 4}) {
      PiecewiseRectifiedFlow perflow = new PiecewiseRectifiedFlow(k, 2, false);
      for (Schedule s : new Schedule[] {RF, VP}) {
        double[] x = new double[2 * n];
        double[] data = GAUSS.asMixture().sample(4, 0, n);
        double t0 = s.tMax();
        for (int i = 0; i < 2 * n; i++) {
          x[i] = s.alpha(t0) * data[i] + s.sigma(t0) * eps[i];
        }
        Teacher teacher = new Teacher(GAUSS.asMixture().denoiser(s), null, s, new RungeKutta(ButcherTableau.RK4));
        double[] want = teacherChain(s, x, k, 2);
        double[] exact = GAUSS.jump(s, x, t0, s.tMin());
        double ddim = maxDiff(sample(new Ddim(0), ideal(perflow, teacher), s, k, x, n), want);
        double euler = maxDiff(sample(new RungeKutta(ButcherTableau.EULER), ideal(perflow, teacher), s, k, x, n), want);
        System.out.printf("perflow ideal student, K = %d on %s: |ddim − teacher| %.2e, |euler − teacher| %.2e, "
            + "|teacher − exact map| %.2e%n", k, s, ddim, euler, maxDiff(want, exact));
        assertThat(ddim).as("K = %d DDIM steps of the ideal student on %s", k, s).isLessThan(1e-9);
        if (s == RF) {
          assertThat(euler).as("K = %d Euler steps of the ideal student on rectified flow", k).isLessThan(1e-9);
          double shifted = maxDiff(sample(new RungeKutta(ButcherTableau.EULER),
              ideal(new PiecewiseRectifiedFlow(k, 2, false, 0.2), teacher), s, k, x, n), want);
          assertThat(shifted).as("K = %d Euler steps with edge_shift 0.2", k).isLessThan(1e-9);
        } else {
          assertThat(euler).as("Euler is not exact on VP: the segment is straight in (σ/α, x/α), not in (t, x)")
              .isGreaterThan(1e-3);
        }
      }
    }
  }

  @Test
  void edgeShiftMovesWhereTheWindowChanges() {
    // K = 4 on rectified flow, Δ = (tMax − tMin)/4: with edge_shift 0.2 a row at T_1 + 0.1Δ is in window 1 (its
    // segment starts at T_1), one at T_1 + 0.3Δ in window 0; without the shift both are in window 0
    double[][] w = PiecewiseRectifiedFlow.windowTimes(RF, 4, 1);
    double delta = w[0][0] - w[1][0];
    double[] t = {w[1][0] + 0.1 * delta, w[1][0] + 0.3 * delta};
    double[] x0 = {0.3, -0.2, 0.3, -0.2};
    double[] eps = {1.0, 0.5, 1.0, 0.5};
    Teacher teacher = new Teacher(GAUSS.asMixture().denoiser(RF), null, RF, new RungeKutta(ButcherTableau.EULER));
    double[][] starts = {{w[1][0], w[0][0]}, {w[0][0], w[0][0]}};
    double[] shifts = {0.2, 0};
    for (int c = 0; c < 2; c++) {
      try (Graph g = new Graph(); Session ses = new Session(g)) {
        Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
        double[] rs = fetch(ses, new PiecewiseRectifiedFlow(4, 1, false, shifts[c]).segment(batch(b, RF, x0, eps, t), teacher)
            .rStart());
        for (int i = 0; i < 2; i++) {
          double want = starts[c][i] / (1 - starts[c][i]);
          assertThat(rs[i]).as("edge_shift %s, row %d", shifts[c], i).isCloseTo(want, within(1e-9 * want));
        }
      }
    }
  }

  @Test
  void optionsAndNeeds() {
    assertThat(new PiecewiseRectifiedFlow(4, 8, true).needs())
        .containsExactlyInAnyOrder(org.diffuse4j.api.Objective.Need.TEACHER, org.diffuse4j.api.Objective.Need.INIT);
    assertThat(new PiecewiseRectifiedFlow(4, 8, false).needs()).containsExactly(org.diffuse4j.api.Objective.Need.TEACHER);
    assertThat(new PiecewiseRectifiedFlow(2, 1, false).sampleTime(RF, 0.5)).isCloseTo(0.5, within(1e-15));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PiecewiseRectifiedFlow(0, 8, false))
        .hasMessageContaining("windows >= 1");
  }
}
