package org.diffuse4j.guidance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.diffuse4j.guidance.Mixture.B;
import static org.diffuse4j.guidance.Mixture.D;
import static org.diffuse4j.guidance.Mixture.GM;
import static org.diffuse4j.guidance.Mixture.label;

import java.util.List;
import java.util.Map;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.Inversion;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
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
  void combineCarriesMomentumExplicitly() {
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
    }
  }

  /** DDIM's deterministic step x' = α' x̂0 + σ' ε̂: one model call per step, the loop is Solver.solve. */
  record Ddim() implements Solver {
    @Override
    public SolverTraits traits() {
      return new SolverTraits(1, 1, false, 0);
    }

    @Override
    public SolverState step(SamplingProblem problem, SolverState state) {
      Prediction pr = problem.predict(state.x(), state.k());
      PathPoint q = problem.point(state.k() + 1);
      return state.next(pr.x0().times(q.alpha()).plus(pr.eps().times(q.sigma())), 1);
    }
  }

  static final double[] GRID = {0.9, 0.6, 0.35, 0.15};

  /** Alg. 1 with momentum and DDIM steps, in Java doubles; counts the capped (row, step) pairs in capped[0]. */
  static double[] apgDdim(double w, double eta, double r, double beta, int[] capped) {
    double[] out = new double[B * D];
    for (int i = 0; i < B; i++) {
      double[] x = Mixture.X[i].clone();
      double[] avg = null;
      for (int k = 0; k + 1 < GRID.length; k++) {
        double t = GRID[k];
        double[] c = Mixture.component(label(i)).posteriorMean(VP, t, x);
        double[] delta = diff(c, GM.posteriorMean(VP, t, x));
        if (avg != null) {
          delta = new double[] {delta[0] + beta * avg[0], delta[1] + beta * avg[1]};
        }
        avg = delta;
        capped[0] += Math.hypot(delta[0], delta[1]) > r ? 1 : 0;
        double[] x0 = apg(c, delta, w, eta, r);
        double a = VP.alpha(t);
        double sg = VP.sigma(t);
        double a2 = VP.alpha(GRID[k + 1]);
        double s2 = VP.sigma(GRID[k + 1]);
        for (int j = 0; j < D; j++) {
          x[j] = a2 * x0[j] + s2 * (x[j] - a * x0[j]) / sg;
        }
      }
      System.arraycopy(x, 0, out, i * D, D);
    }
    return out;
  }

  private static double[] sampled(AdaptiveProjected g) {
    try (GraphRun r = new GraphRun()) {
      Denoiser d = g.guide(GM.denoiser(VP), Mixture.labels(r.b));
      SamplingProblem problem = new SamplingProblem(d, VP, GRID, Mixture.x(r.b), Inversion.NO_NOISE);
      SolverState end = new Ddim().solve(problem);
      assertThat(end.nfe()).isEqualTo(GRID.length - 1);
      return r.eval(end.x());
    }
  }

  @Test
  void momentumOverThreeSolverStepsFollowsTheAlgorithm() {
    double w = 4;
    double eta = 0.25;
    double r = 1.5; // caps some (row, step) pairs and not others
    for (double beta : new double[] {-0.5, 0.3, 0}) {
      int[] capped = {0};
      double[] want = apgDdim(w, eta, r, beta, capped);
      double[] got = sampled(new AdaptiveProjected(ScaleSchedule.constant(w), eta, r, beta));
      for (int n = 0; n < B * D; n++) {
        assertThat(got[n]).as("beta %s, value %d", beta, n).isCloseTo(want[n], within(1e-10));
      }
      assertThat(capped[0]).as("capped (row, step) pairs, beta %s", beta).isBetween(1, B * (GRID.length - 1) - 1);
    }
    double[] plain = apgDdim(w, eta, r, 0, new int[1]);
    double[] withMomentum = apgDdim(w, eta, r, -0.5, new int[1]);
    assertThat(Math.abs(withMomentum[0] - plain[0]) + Math.abs(withMomentum[1] - plain[1]))
        .as("momentum changes the samples").isGreaterThan(1e-3);
  }

  @Test
  void everyCallOfAStepUsesThePreviousStepAndTheLastCallDefinesTheNext() {
    double w = 3;
    double beta = -0.5;
    double[] ts = {0.5, 0.4, 0.3};
    AdaptiveProjected g = new AdaptiveProjected(ScaleSchedule.constant(w), 0, 0, beta);
    try (GraphRun r = new GraphRun()) {
      Denoiser d0 = g.guide(GM.denoiser(VP), Mixture.labels(r.b));
      var x = Mixture.x(r.b);
      double[] first = r.eval(d0.predict(x, PathPoint.at(VP, ts[0], r.b)).x0());
      double[] second = r.eval(d0.predict(x, PathPoint.at(VP, ts[1], r.b)).x0());
      Denoiser d1 = d0.next();
      assertThat(d1).isNotSameAs(d0);
      double[] third = r.eval(d1.predict(x, PathPoint.at(VP, ts[2], r.b)).x0());
      for (int i = 0; i < B; i++) {
        double[][] delta = new double[3][];
        double[][] c = new double[3][];
        for (int k = 0; k < 3; k++) {
          c[k] = Mixture.x0(VP, ts[k], i, label(i));
          delta[k] = diff(c[k], Mixture.x0(VP, ts[k], i, -1));
        }
        double[] avg = {delta[2][0] + beta * delta[1][0], delta[2][1] + beta * delta[1][1]};
        double[][] want = {apg(c[0], delta[0], w, 0, 0), apg(c[1], delta[1], w, 0, 0), apg(c[2], avg, w, 0, 0)};
        double[][] got = {first, second, third};
        for (int k = 0; k < 3; k++) {
          for (int j = 0; j < D; j++) {
            assertThat(got[k][i * D + j]).as("call %d, row %d", k, i).isCloseTo(want[k][j], within(1e-10));
          }
        }
      }
      Stack stacked = new Stack(g, List.of(new DynamicThresholding(0.995, Double.POSITIVE_INFINITY)));
      Denoiser s = stacked.guide(GM.denoiser(VP), Mixture.labels(r.b));
      s.predict(x, PathPoint.at(VP, ts[0], r.b));
      assertThat(s.next()).as("a stack advances its base").isNotSameAs(s);
      Denoiser plain = new AdaptiveProjected(ScaleSchedule.constant(w), 0, 0, 0).guide(GM.denoiser(VP), Mixture.labels(r.b));
      plain.predict(x, PathPoint.at(VP, ts[0], r.b));
      assertThat(plain.next()).as("momentum 0 is stateless").isSameAs(plain);
    }
  }

  @Test
  void momentumOutsideMinusOneToOneIsRejected() {
    PluginRegistry reg = PluginRegistry.discover(getClass().getClassLoader());
    for (double bad : new double[] {1, -1, 1.5, -2}) {
      assertThatThrownBy(() -> reg.create(Kind.GUIDANCE, Map.of("name", "apg", "momentum", bad), "guidance"))
          .isInstanceOf(OptionException.class)
          .hasMessageContaining("apg momentum must satisfy -1 < beta < 1")
          .hasMessageContaining("got " + bad);
      assertThatThrownBy(() -> new AdaptiveProjected(ScaleSchedule.constant(4), 0, 0, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("-1 < beta < 1");
    }
    assertThat(reg.<Object>create(Kind.GUIDANCE, Map.of("name", "apg", "momentum", -0.5), "guidance"))
        .isEqualTo(new AdaptiveProjected(ScaleSchedule.constant(4), 0, 0, -0.5));
    assertThat(reg.<Object>create(Kind.GUIDANCE, Map.of("name", "apg", "scale", 5, "norm_threshold", 15), "g"))
        .isEqualTo(new AdaptiveProjected(ScaleSchedule.constant(5), 0, 15, 0));
  }
}
