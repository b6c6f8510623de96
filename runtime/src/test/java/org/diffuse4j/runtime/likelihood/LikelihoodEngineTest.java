package org.diffuse4j.runtime.likelihood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.plugins.PluginDiscovery;
import org.junit.jupiter.api.Test;

/**
 * The PF-ODE likelihood of the exact mixture model (network {@code gmm}) against the mixture's
 * closed-form log-density log Σ_k w_k N(x; μ_k, s_k² I), on 256 exact samples, in float64.
 */
class LikelihoodEngineTest {
  static final PluginRegistry REGISTRY = PluginDiscovery.discover(null);
  static final GaussianMixture GMM = GaussianMixture.standard2d();
  static final int N = 256;
  static final double[] X = GMM.sample(11, 0, N);

  static Manifest gmm(String schedule) {
    Map<String, Object> tree = ManifestLoader.parse("""
        data: gmm
        network: gmm
        schedule: %s
        parameterisation: velocity
        objective: flow-matching
        precision: float64
        """.formatted(schedule), "test");
    return ManifestLoader.resolve(tree, REGISTRY);
  }

  /** Uniform increasing times from tMin to tMax. */
  static double[] uniform(double tMin, double tMax, int steps) {
    double[] t = new double[steps + 1];
    for (int i = 0; i <= steps; i++) {
      t[i] = tMin + (tMax - tMin) * i / steps;
    }
    return t;
  }

  /** Mean |log p_ours − log p_true| over the points. */
  static double meanAbsDiff(Likelihoods l) {
    double s = 0;
    double[] ours = l.perSample();
    for (int i = 0; i < N; i++) {
      s += Math.abs(ours[i] - GMM.logDensity(new double[] {X[2 * i], X[2 * i + 1]}));
    }
    return s / N;
  }

  static Likelihoods run(String schedule, String solver, double[] times, LikelihoodOptions o, int batch) {
    Solver s = REGISTRY.create(Kind.SOLVER, solver, "solver");
    try (LikelihoodEngine e = new LikelihoodEngine(gmm(schedule), s, solver, times, o, 2, batch, null)) {
      return e.evaluate(X, N);
    }
  }

  @Test
  void vpExactDivergenceMatchesTheMixtureDensity() {
    double[] times = uniform(1e-5, 1.0, 64);
    Likelihoods gaussianPrior = run("vp", "rk4", times, LikelihoodOptions.exact(), N);
    Likelihoods exactPrior = run("vp", "rk4", times, LikelihoodOptions.exact().withPrior(LikelihoodOptions.Prior.EXACT), N);
    // measured: 1.7e-3 with N(0, σ²I) at t=1 (α(1) = 0.0066 ignored), 8e-6 with the exact q_1
    assertThat(meanAbsDiff(gaussianPrior)).isLessThan(0.01);
    assertThat(meanAbsDiff(exactPrior)).isLessThan(1e-4);
    assertThat(gaussianPrior.nfe()).isEqualTo(64 * 4);
  }

  @Test
  void errorShrinksWithStepsAndChunkSizesAgreeToRounding() {
    LikelihoodOptions o = LikelihoodOptions.exact().withPrior(LikelihoodOptions.Prior.EXACT);
    double coarse = meanAbsDiff(run("vp", "heun", uniform(1e-5, 1.0, 16), o, N));
    double fine = meanAbsDiff(run("vp", "heun", uniform(1e-5, 1.0, 64), o, N));
    assertThat(fine).isLessThan(coarse / 4); // second order: 16× in theory; measured 0.044 → 0.0023
    Likelihoods whole = run("vp", "dopri5", uniform(1e-5, 1.0, 16), o, N);
    Likelihoods batched = run("vp", "dopri5", uniform(1e-5, 1.0, 16), o, 100);
    // other chunk sizes (256 vs 100) are other computations: float64 rounding (~1e-16 relative on
    // log-densities of order 1–10) may differ by CPU; 1e-9 leaves six orders of margin
    assertThat(batched.perSample()).containsExactly(whole.perSample(), org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void rectifiedFlowMatchesTheMixtureDensity() {
    Likelihoods l = run("rectified-flow", "rk4", uniform(1e-5, 1 - 1e-4, 32), LikelihoodOptions.exact(), N);
    assertThat(meanAbsDiff(l)).isLessThan(0.01); // measured 1e-4
  }

  @Test
  void hutchinsonIsWithinItsStandardErrorOfTheExactTrace() {
    double[] times = uniform(1e-5, 1.0, 32);
    Likelihoods exact = run("vp", "rk4", times, LikelihoodOptions.exact(), N);
    for (LikelihoodOptions.Probe kind : LikelihoodOptions.Probe.values()) {
      Likelihoods h = run("vp", "rk4", times, LikelihoodOptions.hutchinson(8, kind, 5), N);
      double se = h.probeStdError();
      assertThat(se).as(kind + " standard error").isPositive().isLessThan(0.1);
      assertThat(Math.abs(h.meanNll() - exact.meanNll())).as(kind + " vs exact, SE " + se).isLessThan(3 * se);
      assertThat(h.logp()[0]).hasSize(8);
    }
  }

  @Test
  void badSettingsFailClearly() {
    assertThatThrownBy(() -> LikelihoodOptions.hutchinson(0, LikelihoodOptions.Probe.GAUSSIAN, 0))
        .isInstanceOf(OptionException.class).hasMessageContaining("--probes must be >= 1");
    assertThatThrownBy(() -> LikelihoodOptions.parse(LikelihoodOptions.Divergence.class, "foo", "--divergence"))
        .isInstanceOf(OptionException.class).hasMessageContaining("allowed values: exact, hutchinson");
    assertThatThrownBy(() -> run("vp", "euler-maruyama", uniform(1e-5, 1, 4), LikelihoodOptions.exact(), N))
        .isInstanceOf(OptionException.class).hasMessageContaining("stochastic");
    assertThatThrownBy(() -> run("vp", "rk4", uniform(0, 1, 4), LikelihoodOptions.exact(), N))
        .isInstanceOf(OptionException.class).hasMessageContaining("σ > 0");
  }

  @Test
  void samplingWithLikelihoodGivesTheSamplerOutputAndItsTrueDensityInOneIntegration() {
    double[] times = uniform(1e-5, 1.0, 64);
    Solver rk4 = REGISTRY.create(Kind.SOLVER, "rk4", "solver");
    LikelihoodOptions o = LikelihoodOptions.exact().withPrior(LikelihoodOptions.Prior.EXACT);
    LikelihoodEngine.Sampled drawn;
    Likelihoods again;
    try (LikelihoodEngine e = new LikelihoodEngine(gmm("vp"), rk4, "rk4", times, o, 2, 100, null)) {
      drawn = e.sample(5, N);
      again = e.evaluate(drawn.x(), N); // the two-integration route: sample, then encode back to noise
    }
    double[] ours = drawn.likelihoods().perSample();
    double[] twice = again.perSample();
    double diff = 0;
    double gap = 0;
    for (int i = 0; i < N; i++) {
      double truth = GMM.logDensity(new double[] {drawn.x()[2 * i], drawn.x()[2 * i + 1]});
      diff += Math.abs(ours[i] - truth) / N;
      gap += Math.abs(ours[i] - twice[i]) / N;
    }
    // the exact prior log q_1(x_1) minus the integrated divergence is log q_0 at the ODE's end point
    assertThat(diff).isLessThan(1e-3);
    assertThat(gap).isLessThan(1e-3);
    assertThat(drawn.likelihoods().nfe()).isEqualTo(64 * 4);
    // the samples are the sampler's: the same rows as the plain rk4 run from σ(1)·ε (ε stream 0 of (5, i))
    double[] eps = org.diffuse4j.api.CounterNoise.gaussian(5, 0, N, 2, 0);
    double sigma1 = gmm("vp").schedule().sigma(1.0);
    double spread = 0;
    for (int i = 0; i < N; i++) {
      double[] end = org.diffuse4j.api.analytic.ReferenceSolution.solve(GMM, gmm("vp").schedule(), 1.0, 1e-5,
          new double[] {sigma1 * eps[2 * i], sigma1 * eps[2 * i + 1]});
      spread = Math.max(spread, Math.hypot(end[0] - drawn.x()[2 * i], end[1] - drawn.x()[2 * i + 1]));
    }
    assertThat(spread).isLessThan(1e-3);
  }
}
