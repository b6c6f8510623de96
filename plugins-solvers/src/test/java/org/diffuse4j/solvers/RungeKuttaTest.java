package org.diffuse4j.solvers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConstantNoise;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.analytic.PointCloud;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.analytic.ConvergenceStudy;
import org.diffuse4j.api.analytic.CountingDenoiser;
import org.diffuse4j.testkit.SolverConformance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

class RungeKuttaTest {

  static Stream<ButcherTableau> tableaus() {
    return Stream.of(ButcherTableau.EULER, ButcherTableau.MIDPOINT, ButcherTableau.HEUN,
        ButcherTableau.RALSTON, ButcherTableau.RK3, ButcherTableau.RK4, ButcherTableau.DOPRI5);
  }

  @ParameterizedTest
  @MethodSource("tableaus")
  void conformsToTheKit(ButcherTableau tab) {
    if (tab != ButcherTableau.DOPRI5) {
      SolverConformance.assertConforms(new RungeKutta(tab));
    }
  }

  /**
   * Dormand–Prince at fixed steps: every kit check, but the order on the kit's grid is 5.8–6.0 at
   * 16–128 steps (VP and RF) instead of the theoretical 5. Dormand and Prince chose the free
   * coefficients to minimise the 5th-order solution's principal error terms, so on this smooth
   * problem the h⁶ terms dominate at every step count whose error stays above the reference's
   * floor (10⁻¹² at 256 steps). The test pins the measured 6 ± 0.3 so a regression still shows;
   * docs/solvers.md explains the difference.
   */
  @Test
  void dopri5ConformsAndMeasuresSixthOrderBeforeTheFloor() {
    RungeKutta dopri = new RungeKutta(ButcherTableau.DOPRI5);
    SolverConformance.assertEvaluationCount(dopri);
    SolverConformance.assertStepIsPure(dopri);
    SolverConformance.assertBatchIndependent(dopri);
    SolverConformance.assertExactOnPointMass(dopri);
    for (Schedule s : new Schedule[] {SolverConformance.vp(), SolverConformance.rectifiedFlow()}) {
      ConvergenceStudy.Result r = ConvergenceStudy.of(s).run(dopri);
      assertThat(r.order()).as("dopri5 on %s:%n%s", s, r).isCloseTo(6, within(SolverConformance.ORDER_TOLERANCE));
    }
  }

  /** Order conditions of explicit RK methods (Butcher): rooted trees up to order 4. */
  @ParameterizedTest
  @MethodSource("tableaus")
  void tablesSatisfyTheOrderConditionsOfTheirDeclaredOrder(ButcherTableau tab) {
    int s = tab.stages();
    double[] c = tab.c();
    double[] b = tab.b();
    double sumB = 0, bc = 0, bc2 = 0, bac = 0, bc3 = 0, bcac = 0, bac2 = 0, baac = 0;
    double[] ac = new double[s];
    double[] aac = new double[s];
    for (int i = 0; i < s; i++) {
      for (int j = 0; j < i; j++) {
        ac[i] += tab.a(i, j) * c[j];
      }
    }
    for (int i = 0; i < s; i++) {
      for (int j = 0; j < i; j++) {
        aac[i] += tab.a(i, j) * ac[j];
        bac2 += b[i] * tab.a(i, j) * c[j] * c[j];
      }
      sumB += b[i];
      bc += b[i] * c[i];
      bc2 += b[i] * c[i] * c[i];
      bac += b[i] * ac[i];
      bc3 += b[i] * c[i] * c[i] * c[i];
      bcac += b[i] * c[i] * ac[i];
      baac += b[i] * aac[i];
    }
    assertThat(sumB).isCloseTo(1, within(1e-14));
    if (tab.order() >= 2) {
      assertThat(bc).isCloseTo(0.5, within(1e-14));
    }
    if (tab.order() >= 3) {
      assertThat(bc2).isCloseTo(1.0 / 3, within(1e-14));
      assertThat(bac).isCloseTo(1.0 / 6, within(1e-14));
    }
    if (tab.order() >= 4) {
      assertThat(bc3).isCloseTo(1.0 / 4, within(1e-14));
      assertThat(bcac).isCloseTo(1.0 / 8, within(1e-14));
      assertThat(bac2).isCloseTo(1.0 / 12, within(1e-14));
      assertThat(baac).isCloseTo(1.0 / 24, within(1e-14));
    }
    // and not of the next order for the low-order tables (the declared order is the true one)
    if (tab.order() == 1) {
      assertThat(bc).isNotCloseTo(0.5, within(1e-3));
    }
    if (tab.order() == 2) {
      assertThat(Math.abs(bc2 - 1.0 / 3) + Math.abs(bac - 1.0 / 6)).isGreaterThan(1e-3);
    }
  }

  @Test
  void tableauRejectsImplicitOrInconsistentTables() {
    assertThatThrownBy(() -> new ButcherTableau("x", 1, new double[] {0, 1}, new double[][] {{}, {1, 0}},
        new double[] {0.5, 0.5}, null)).hasMessageContaining("not explicit");
    assertThatThrownBy(() -> new ButcherTableau("x", 1, new double[] {0, 0.5}, new double[][] {{}, {1}},
        new double[] {0.5, 0.5}, null)).hasMessageContaining("sums to 1.0 but c = 0.5");
    assertThatThrownBy(() -> new ButcherTableau("x", 1, new double[] {0}, new double[][] {{}},
        new double[] {0.9}, null)).hasMessageContaining("sum to 1");
  }

  @Test
  void oneEulerStepIsXPlusHTimesTheExactVelocity() {
    GaussianMixture gm = GaussianMixture.standard2d();
    Schedule vp = SolverConformance.vp();
    double[] x = {0.4, -0.9, 1.3, 0.2};
    double t = 0.6, s = 0.45;
    try (Graph g = new Graph(); Session sess = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      SamplingProblem p = new SamplingProblem((xx, pt) -> gm.denoiser(vp).predict(xx, pt, Condition.none()),
          vp, new double[] {t, s}, b.constant(x, 2, 2), new ConstantNoise(0, 0));
      double[] got = SolverConformance.fetch(sess, new RungeKutta(ButcherTableau.EULER).sample(p));
      for (int r = 0; r < 2; r++) {
        double[] v = gm.velocity(vp, t, new double[] {x[2 * r], x[2 * r + 1]});
        for (int j = 0; j < 2; j++) {
          assertThat(got[2 * r + j]).isCloseTo(x[2 * r + j] + (s - t) * v[j], within(1e-13));
        }
      }
    }
  }

  /** EDM Algorithm 1: a final step to σ = 0 is one Euler call, which lands exactly on the data for a point mass. */
  @Test
  void heunTakesAnEulerStepOntoData() {
    Schedule rf = SolverConformance.rectifiedFlow();
    double[] point = {0.7, -0.4};
    PointCloud data = new PointCloud(new double[][] {point});
    double[] times = {0.9, 0.6, 0.3, 0.0};
    RungeKutta heun = new RungeKutta(ButcherTableau.HEUN);
    try (Graph g = new Graph(); Session sess = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      CountingDenoiser model = new CountingDenoiser((xx, pt) -> data.denoiser(rf).predict(xx, pt, Condition.none()));
      SamplingProblem p = new SamplingProblem(model, rf, times,
          b.constant(new double[] {0.1 * 0.7 + 0.9 * 1.5, -0.04 + 0.9 * -0.3}, 1, 2), new ConstantNoise(0, 0));
      double[] got = SolverConformance.fetch(sess, heun.sample(p));
      assertThat(got).containsExactly(point, within(1e-12));
      assertThat(model.calls()).isEqualTo(5).isEqualTo(heun.evaluations(times, rf));
      assertThat(heun.evaluations(3)).isEqualTo(6);
    }
  }

  @Test
  void rk4ConvergesToTheReferenceWithinItsErrorBudget() {
    // an absolute check besides the slope: 64 RK4 steps are within 1e-5 of the reference
    ConvergenceStudy study = ConvergenceStudy.of(SolverConformance.vp());
    double[] x = study.sample(new RungeKutta(ButcherTableau.RK4), 64, 0, study.rows()).x();
    assertThat(study.rms(x, study.reference())).isLessThan(1e-5);
  }
}
