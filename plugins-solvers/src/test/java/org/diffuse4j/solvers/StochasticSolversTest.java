package org.diffuse4j.solvers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConstantNoise;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.analytic.PointCloud;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.analytic.ConvergenceStudy;
import org.diffuse4j.testkit.SolverConformance;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

class StochasticSolversTest {

  final Schedule vp = SolverConformance.vp();
  final Schedule rf = SolverConformance.rectifiedFlow();

  @Test
  void eulerMaruyamaConforms() {
    SolverConformance.assertConforms(new EulerMaruyama());
  }

  @Test
  void ddpmConforms() {
    SolverConformance.assertConforms(new AncestralDdpm());
  }

  @Test
  void eulerAncestralConforms() {
    SolverConformance.assertConforms(new EulerAncestral(1, 1));
  }

  @Test
  void edmStochasticConforms() {
    SolverConformance.assertConforms(new EdmStochastic(40, 0.05, 50, 1));
  }

  @Test
  void predictorCorrectorConforms() {
    SolverConformance.assertConforms(new PredictorCorrector(0.16, 1));
  }

  /** Runs a solver on the given model/schedule/grid from x (row-major [n, 2]) with noise seed 5. */
  static double[] run(Solver solver, Denoiser model, Schedule s, double[] times, double[] x) {
    try (Graph g = new Graph(); Session sess = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      SamplingProblem p = new SamplingProblem(model, s, times, b.constant(x, x.length / 2, 2), new ConstantNoise(5, 0));
      return SolverConformance.fetch(sess, solver.sample(p));
    }
  }

  static Denoiser exact(GaussianMixture gm, Schedule s) {
    return (x, p) -> gm.denoiser(s).predict(x, p, Condition.none());
  }

  @Test
  void oneEulerMaruyamaStepMatchesTheReverseSdeUpdate() {
    GaussianMixture gm = GaussianMixture.standard2d();
    double[] x = {0.4, -0.9, 1.3, 0.2};
    double t = 0.5, s = 0.4, h = s - t;
    double[] got = run(new EulerMaruyama(), exact(gm, vp), vp, new double[] {t, s}, x);
    for (int r = 0; r < 2; r++) {
      double[] score = gm.score(vp, t, new double[] {x[2 * r], x[2 * r + 1]});
      for (int j = 0; j < 2; j++) {
        double xi = CounterNoise.gaussian(5, r, 1, j);   // step 0 draws stream 1
        double beta = 0.1 + 19.9 * t;                    // VP: f = −β/2, g² = β
        double expected = x[2 * r + j] + h * (-0.5 * beta * x[2 * r + j] - beta * score[j]) + Math.sqrt(beta * -h) * xi;
        assertThat(got[2 * r + j]).isCloseTo(expected, within(1e-12));
      }
    }
  }

  /**
   * For point-mass data x̂0 is exact, so each ancestral step samples the true posterior and the
   * chain's marginal at every time is exactly N(α p, σ² I), whatever the step count.
   */
  @Test
  void ancestralSamplersAreExactInDistributionForPointMassData() {
    double[] point = {0.7, -0.4};
    PointCloud data = new PointCloud(new double[][] {point});
    Denoiser model = (x, p) -> data.denoiser(vp).predict(x, p, Condition.none());
    int n = 20_000;
    double[] times = {0.9, 0.6, 0.35, 0.2};
    double[] x = new double[2 * n];
    double[] eps = CounterNoise.gaussian(99, 0, n, 2, 0);
    for (int i = 0; i < 2 * n; i++) {
      x[i] = vp.alpha(0.9) * point[i % 2] + vp.sigma(0.9) * eps[i];
    }
    for (Solver solver : new Solver[] {new AncestralDdpm(), new EulerAncestral(1, 1)}) {
      double[] out = run(solver, model, vp, times, x);
      double m0 = 0, v0 = 0;
      for (int i = 0; i < n; i++) {
        m0 += out[2 * i] / n;
      }
      for (int i = 0; i < n; i++) {
        v0 += (out[2 * i] - m0) * (out[2 * i] - m0) / n;
      }
      double sigma = vp.sigma(0.2);
      assertThat(m0).as("%s mean", solver).isCloseTo(vp.alpha(0.2) * point[0], within(4 * sigma / Math.sqrt(n)));
      assertThat(v0).as("%s variance", solver).isCloseTo(sigma * sigma, within(4 * sigma * sigma * Math.sqrt(2.0 / n)));
    }
  }

  /** Two derivations of ancestral sampling (posterior of DDPM; σ_up/σ_down of k-diffusion) agree. */
  @Test
  void eulerAncestralWithEtaOneIsDdpm() {
    GaussianMixture gm = GaussianMixture.standard2d();
    double[] x = ConvergenceStudy.of(vp).initialState(0, 8);
    double[] times = ConvergenceStudy.of(vp).times(5);
    double[] a = run(new EulerAncestral(1, 1), exact(gm, vp), vp, times, x);
    double[] b = run(new AncestralDdpm(), exact(gm, vp), vp, times, x);
    assertThat(a).containsExactly(b, within(1e-10));
  }

  /** η = 0 is DDIM: deterministic, first order, and exact on point-mass data under any schedule. */
  @Test
  void eulerAncestralWithEtaZeroIsDdim() {
    EulerAncestral ddim = new EulerAncestral(0, 1);
    assertThat(ddim.traits().stochastic()).isFalse();
    SolverConformance.assertOrder(ddim, vp);
    SolverConformance.assertOrder(ddim, SolverConformance.rectifiedFlow());
    double[] point = {0.7, -0.4};
    PointCloud data = new PointCloud(new double[][] {point});
    double[] eps = {1.1, -0.6};
    double[] x = {vp.alpha(0.9) * point[0] + vp.sigma(0.9) * eps[0], vp.alpha(0.9) * point[1] + vp.sigma(0.9) * eps[1]};
    double[] out = run(ddim, (xx, p) -> data.denoiser(vp).predict(xx, p, Condition.none()), vp, new double[] {0.9, 0.5, 0.1}, x);
    for (int j = 0; j < 2; j++) {
      assertThat(out[j]).isCloseTo(vp.alpha(0.1) * point[j] + vp.sigma(0.1) * eps[j], within(1e-12));
    }
  }

  /** Without churn EDM Algorithm 2 is Heun in σ̂ = σ/α: deterministic and second order (VP; see docs for RF). */
  @Test
  void edmWithoutChurnIsSecondOrderHeun() {
    EdmStochastic heun = new EdmStochastic(0, 0.05, 50, 1);
    assertThat(heun.traits().stochastic()).isFalse();
    SolverConformance.assertOrder(heun, vp);
    SolverConformance.assertOrder(heun, SolverConformance.rectifiedFlow());
    SolverConformance.assertEvaluationCount(heun);
    // churn confined to σ̂ ∈ [s_tmin, s_tmax] that the grid never visits changes nothing
    double[] x = ConvergenceStudy.of(vp).initialState(0, 4);
    double[] times = ConvergenceStudy.of(vp).times(6);
    GaussianMixture gm = GaussianMixture.standard2d();
    assertThat(run(new EdmStochastic(40, 1e3, 1e4, 1), exact(gm, vp), vp, times, x))
        .containsExactly(run(heun, exact(gm, vp), vp, times, x));
  }

  @Test
  void predictorCorrectorWithoutCorrectionIsEulerMaruyama() {
    GaussianMixture gm = GaussianMixture.standard2d();
    double[] x = ConvergenceStudy.of(vp).initialState(0, 4);
    double[] times = ConvergenceStudy.of(vp).times(6);
    assertThat(run(new PredictorCorrector(0.16, 0), exact(gm, vp), vp, times, x))
        .containsExactly(run(new EulerMaruyama(), exact(gm, vp), vp, times, x));
    assertThat(new PredictorCorrector(0.16, 3).evaluations(10)).isEqualTo(40);
  }

  /**
   * The Langevin corrector leaves the target invariant up to its O(ε) bias: starting from exact
   * draws of q_t, 20 corrector-only sweeps at a fixed time keep the moments of q_t.
   */
  @Test
  void langevinCorrectorPreservesTheMarginal() {
    GaussianMixture gm = GaussianMixture.standard2d();
    double t = 0.3;
    int n = 20_000;
    double[] x = gm.at(rf, t).sample(8, 0, n);
    // 20 tiny predictor steps (from t to t − 1e-9 each) with 5 corrections: essentially pure Langevin
    double[] times = new double[21];
    for (int k = 0; k <= 20; k++) {
      times[k] = t - 1e-9 * k;
    }
    double[] out = run(new PredictorCorrector(0.3, 5), exact(gm, rf), rf, times, x);
    GaussianMixture q = gm.at(rf, t);
    double before = ConvergenceStudy.momentError(x, q.mean(), q.covariance());
    double after = ConvergenceStudy.momentError(out, q.mean(), q.covariance());
    assertThat(after).isLessThan(0.06);
    // and it did move the samples (100 Langevin steps of size 2(0.3 σ)²)
    double moved = 0;
    for (int i = 0; i < x.length; i++) {
      moved += Math.abs(out[i] - x[i]) / x.length;
    }
    assertThat(moved).isGreaterThan(0.1);
    assertThat(before).isLessThan(0.06);
  }

  @Test
  void badSettingsFailClearly() {
    assertThatThrownBy(() -> new EulerAncestral(-0.5, 1)).hasMessageContaining("eta >= 0");
    assertThatThrownBy(() -> new EdmStochastic(1, 2, 1, 1)).hasMessageContaining("s_tmin <= s_tmax");
    assertThatThrownBy(() -> new PredictorCorrector(0, 1)).hasMessageContaining("snr > 0");
  }
}
