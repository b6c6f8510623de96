package org.diffuse4j.testkit;

import org.diffuse4j.api.analytic.ReferenceSolution;
import org.diffuse4j.api.analytic.ConvergenceStudy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.TimeGrid;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.junit.jupiter.api.Test;

/** The kit passes a correct solver and catches broken ones. */
class SolverConformanceTest {

  /** Plain Euler on the PF-ODE, written here so the kit is tested without plugins-solvers. */
  record Euler(double declaredOrder, int declaredCalls) implements Solver {
    @Override
    public SolverTraits traits() {
      return new SolverTraits(declaredOrder, declaredCalls, false, 0);
    }

    @Override
    public SolverState step(SamplingProblem p, SolverState s) {
      double h = p.t(s.k() + 1) - p.t(s.k());
      return s.next(s.x().plus(p.predict(s.x(), s.k()).velocity().times(h)), 1);
    }
  }

  /** Euler whose result depends on how often it was called: hidden mutable state. */
  static final class Leaky implements Solver {
    private final List<Object> seen = new ArrayList<>();

    @Override
    public SolverTraits traits() {
      return new SolverTraits(1, 1, false, 0);
    }

    @Override
    public SolverState step(SamplingProblem p, SolverState s) {
      seen.add(s);
      double h = p.t(s.k() + 1) - p.t(s.k());
      return s.next(s.x().plus(p.predict(s.x(), s.k()).velocity().times(h * (1 + 1e-3 * seen.size()))), 1);
    }
  }

  @Test
  void eulerConforms() {
    Euler euler = new Euler(1, 1);
    SolverConformance.assertEvaluationCount(euler);
    SolverConformance.assertStepIsPure(euler);
    SolverConformance.assertBatchIndependent(euler);
    SolverConformance.assertExactOnPointMass(euler);
    ConvergenceStudy.Result r = SolverConformance.assertOrder(euler, SolverConformance.rectifiedFlow());
    assertThat(r.points()).extracting(ConvergenceStudy.Point::nfe).containsExactly(16, 32, 64, 128);
    SolverConformance.assertOrder(euler,
        ConvergenceStudy.of(SolverConformance.vp(), ConvergenceStudy.uniform(0.05)), 16, 32, 64);
  }

  @Test
  void anUnderclaimedOrderFailsToo() {
    assertThatThrownBy(() -> SolverConformance.assertOrder(new Euler(0.5, 1), SolverConformance.rectifiedFlow(), 16, 32))
        .isInstanceOf(AssertionError.class).hasMessageContaining("order of");
  }

  /** Every step count of a study's grid must share its ends, or errors would compare different problems. */
  @Test
  void aGridWhoseEndsMoveWithTheStepCountIsRejected() {
    TimeGrid moving = (s, n) -> {
      double[] t = new double[n + 1];
      for (int k = 0; k <= n; k++) {
        t[k] = 0.9 - 0.8 * k / n + (k == n ? 0.01 / n : 0);
      }
      return t;
    };
    assertThatThrownBy(() -> ConvergenceStudy.of(SolverConformance.vp(), moving).run(new Euler(1, 1), 4, 8))
        .hasMessageContaining("fixed ends");
  }

  @Test
  void anOverclaimedOrderFails() {
    assertThatThrownBy(() -> SolverConformance.assertOrder(new Euler(2, 1), SolverConformance.rectifiedFlow(), 8, 16, 32))
        .isInstanceOf(AssertionError.class).hasMessageContaining("order of");
  }

  @Test
  void aWrongEvaluationCountFails() {
    assertThatThrownBy(() -> SolverConformance.assertEvaluationCount(new Euler(1, 2)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("called the model 1 times over 1 steps but evaluations(1) says 2")
        .hasMessageContaining("override evaluations(int)");
  }

  /** Euler that makes no call on a step to t = 0 (it stays put): its count on such a grid is one less. */
  record SkipsStepToData() implements Solver {
    @Override
    public SolverTraits traits() {
      return new SolverTraits(1, 1, false, 0);
    }

    @Override
    public SolverState step(SamplingProblem p, SolverState s) {
      if (p.t(s.k() + 1) == 0) {
        return s.next(s.x(), 0);
      }
      double h = p.t(s.k() + 1) - p.t(s.k());
      return s.next(s.x().plus(p.predict(s.x(), s.k()).velocity().times(h)), 1);
    }
  }

  /** The case: the kit said "expected: 3 but was: 2"; it must name evaluations(double[], Schedule). */
  @Test
  void aGridAwareCountThatIsNotOverriddenIsNamed() {
    assertThatThrownBy(() -> SolverConformance.assertEvaluationCount(new SkipsStepToData()))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("called the model 2 times on the grid")
        .hasMessageContaining("evaluations(times, schedule) says 3")
        .hasMessageContaining("override evaluations(double[], Schedule)");
  }

  @Test
  void hiddenMutableStateFails() {
    assertThatThrownBy(() -> SolverConformance.assertStepIsPure(new Leaky()))
        .isInstanceOf(AssertionError.class);
  }

  /** The PF-ODE of one Gaussian N(μ, s²I) is affine: x_t1 = α1 μ + (τ1/τ0)(x_t0 − α0 μ), τ² = α²s² + σ². */
  @Test
  void referenceSolutionMatchesTheClosedFormFlowOfAGaussian() {
    double[] mu = {0.8, -1.2};
    double s = 0.4;
    GaussianMixture one = new GaussianMixture(new double[][] {mu}, new double[] {s}, new double[] {1});
    for (Schedule sch : new Schedule[] {SolverConformance.vp(), SolverConformance.rectifiedFlow()}) {
      double t0 = 0.95, t1 = 0.02;
      double[] x = {0.3, 1.7, -2.0, 0.5};
      double[] got = ReferenceSolution.solve(one, sch, t0, t1, x);
      double tau0 = Math.hypot(sch.alpha(t0) * s, sch.sigma(t0));
      double tau1 = Math.hypot(sch.alpha(t1) * s, sch.sigma(t1));
      for (int i = 0; i < 4; i++) {
        double m = mu[i % 2];
        double exact = sch.alpha(t1) * m + tau1 / tau0 * (x[i] - sch.alpha(t0) * m);
        assertThat(got[i]).as("%s row value %d", sch, i).isCloseTo(exact, within(1e-10));
      }
      // and back again
      double[] back = ReferenceSolution.solve(one, sch, t1, t0, got);
      assertThat(back).containsExactly(x, within(1e-9));
    }
  }

  @Test
  void fitOrderRecoversAPowerLaw() {
    List<ConvergenceStudy.Point> pts = new ArrayList<>();
    for (int n : new int[] {8, 16, 32, 64}) {
      pts.add(new ConvergenceStudy.Point(n, n, 3.0 * Math.pow(n, -2.5)));
    }
    assertThat(ConvergenceStudy.fitOrder(pts)).isCloseTo(2.5, within(1e-12));
  }

  @Test
  void studyValidatesItsSetUp() {
    assertThatThrownBy(() -> ConvergenceStudy.of(SolverConformance.vp()).withRows(0)).hasMessageContaining("rows >= 1");
    assertThatThrownBy(() -> ConvergenceStudy.of(SolverConformance.vp()).run(new Euler(1, 1), 8))
        .hasMessageContaining("at least 2 step counts");
    Schedule vp = SolverConformance.vp();
    ConvergenceStudy st = ConvergenceStudy.of(vp);
    double[] t = st.times(4);
    assertThat(t[0]).isEqualTo(vp.tMax());
    assertThat(t[4]).isEqualTo(ConvergenceStudy.DEFAULT_T_END);
    for (int k = 1; k < 4; k++) { // uniform in λ = log(α/σ)
      assertThat(vp.lambda(t[k]) - vp.lambda(t[k - 1])).isCloseTo(vp.lambda(t[k + 1]) - vp.lambda(t[k]), within(1e-9));
    }
    assertThat(ConvergenceStudy.of(vp, ConvergenceStudy.uniform(0.03)).times(2)).containsExactly(
        vp.tMax(), (vp.tMax() + 0.03) / 2, 0.03);
  }

  @Test
  void momentErrorIsZeroForExactMoments() {
    // two points ±1 in each coordinate: mean 0, covariance I
    double[] x = {1, 1, -1, -1, 1, -1, -1, 1};
    assertThat(ConvergenceStudy.momentError(x, new double[] {0, 0}, new double[][] {{1, 0}, {0, 1}})).isEqualTo(0);
    assertThat(ConvergenceStudy.momentError(x, new double[] {0.3, 0.4}, new double[][] {{1, 0}, {0, 1}}))
        .isCloseTo(0.5, within(1e-15));
  }
}
