package org.diffuse4j.objectives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.Coupling;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.schedules.EpsParameterisation;
import org.diffuse4j.schedules.RectifiedFlow;
import org.diffuse4j.schedules.VariancePreserving;
import org.diffuse4j.schedules.VelocityParameterisation;
import org.junit.jupiter.api.Test;

/** Each loss on a tiny float64 batch equals its paper formula evaluated in plain Java. */
class RegressionLossTest {
  static final double[] TIMES = {0.05, 0.2, 0.45, 0.7, 0.93};
  static final VariancePreserving VP = new VariancePreserving(0.1, 20);

  interface Expected {
    double of(Harness h, int i);
  }

  private static void check(Objective obj, Schedule s, Parameterisation param, Expected expected) {
    try (Harness h = new Harness(TIMES)) {
      TrainingBatch batch = h.batch(s, t -> obj.weight(s, t), Condition.none());
      Tensor loss = obj.loss(batch, h.network(), param);
      assertThat(loss.shape().asArray()).containsExactly(Harness.B);
      double[] got = h.run(loss);
      for (int i = 0; i < Harness.B; i++) {
        double want = expected.of(h, i);
        assertThat(got[i]).as("example %d", i).isCloseTo(want, within(1e-12 * Math.max(1, Math.abs(want))));
      }
      double[] grad = h.run(loss.mean().gradient(h.wT));
      assertThat(grad).hasSize(Harness.D * Harness.D);
      assertThat(java.util.Arrays.stream(grad).allMatch(Double::isFinite)).as("finite gradient").isTrue();
      assertThat(java.util.Arrays.stream(grad).anyMatch(g -> g != 0)).as("non-zero gradient").isTrue();
    }
  }

  private static double[] xt(Harness h, int i, double a, double s) {
    double[] x = new double[Harness.D];
    for (int j = 0; j < x.length; j++) {
      x[j] = a * h.x0[i][j] + s * h.eps[i][j];
    }
    return x;
  }

  @Test
  void denoisingWithEpsAndUniformIsDdpmSimpleLoss() {
    Objective obj = new Denoising(new TimeDensity.Uniform(0, 1), new Weighting.Uniform(), ConditionDropout.NONE);
    check(obj, VP, new EpsParameterisation(), (h, i) -> {
      double t = h.t[i];
      double[] raw = h.net(xt(h, i, VP.alpha(t), VP.sigma(t)), t);
      return Harness.mse(raw, h.eps[i]);
    });
  }

  @Test
  void denoisingWithVelocityAndMinSnrMatchesHangEtAl() {
    double gamma = 5;
    Objective obj = new Denoising(new TimeDensity.Uniform(0, 1), new Weighting.MinSnr(gamma), ConditionDropout.NONE);
    check(obj, VP, new VelocityParameterisation(), (h, i) -> {
      double t = h.t[i];
      double a = VP.alpha(t);
      double s = VP.sigma(t);
      double ad = VP.alphaDot(t);
      double sd = VP.sigmaDot(t);
      double[] raw = h.net(xt(h, i, a, s), t);
      double[] v = new double[Harness.D];
      for (int j = 0; j < v.length; j++) {
        v[j] = ad * h.x0[i][j] + sd * h.eps[i][j];
      }
      // ‖v̂ − v‖² = (D/α)²‖ε̂ − ε‖² (seed 003 §3), and min-SNR's ε-weight is min(SNR, γ)/SNR.
      double snr = a * a / (s * s);
      double dOverA = (a * sd - s * ad) / a;
      return Math.min(snr, gamma) / snr / (dOverA * dOverA) * Harness.mse(raw, v);
    });
  }

  @Test
  void denoisingWithEpsAndEdmWeightIsKarrasLossOnTheDenoiser() {
    double sd = 0.5;
    Objective obj = new Denoising(new TimeDensity.Uniform(0, 1), new Weighting.Edm(sd), ConditionDropout.NONE);
    check(obj, VP, new EpsParameterisation(), (h, i) -> {
      double t = h.t[i];
      double a = VP.alpha(t);
      double s = VP.sigma(t);
      double[] x = xt(h, i, a, s);
      double[] e = h.net(x, t);
      double[] d = new double[Harness.D];
      for (int j = 0; j < d.length; j++) {
        d[j] = (x[j] - s * e[j]) / a; // the denoiser D(x; σ̃)
      }
      double sig = s / a;
      double lambda = (sig * sig + sd * sd) / (sig * sd * sig * sd);
      return lambda * Harness.mse(d, h.x0[i]);
    });
  }

  @Test
  void denoisingWithLikelihoodWeightIsScoreSdeLoss() {
    Objective obj = new Denoising(new TimeDensity.Uniform(0, 1), new Weighting.Likelihood(), ConditionDropout.NONE);
    check(obj, VP, new EpsParameterisation(), (h, i) -> {
      double t = h.t[i];
      double s = VP.sigma(t);
      double[] e = h.net(xt(h, i, VP.alpha(t), s), t);
      double[] score = new double[Harness.D];
      double[] target = new double[Harness.D];
      for (int j = 0; j < score.length; j++) {
        score[j] = -e[j] / s;
        target[j] = -h.eps[i][j] / s;
      }
      double beta = 0.1 + (20 - 0.1) * t; // g² = β(t) for VP
      return beta * Harness.mse(score, target);
    });
  }

  @Test
  void denoisingWithSnrWeightIsSnrTimesX0Loss() {
    Objective obj = new Denoising(new TimeDensity.Uniform(0, 1), new Weighting.Snr(), ConditionDropout.NONE);
    check(obj, VP, new VelocityParameterisation(), (h, i) -> {
      double t = h.t[i];
      double a = VP.alpha(t);
      double s = VP.sigma(t);
      double ad = VP.alphaDot(t);
      double sd = VP.sigmaDot(t);
      double[] x = xt(h, i, a, s);
      double[] v = h.net(x, t);
      double[] x0hat = new double[Harness.D];
      for (int j = 0; j < x0hat.length; j++) {
        x0hat[j] = (sd * x[j] - s * v[j]) / (a * sd - s * ad);
      }
      return a * a / (s * s) * Harness.mse(x0hat, h.x0[i]);
    });
  }

  @Test
  void ddpmElboWeightsEqualTheDiscreteKlWeights() {
    int n = 20;
    Objective obj = new Denoising(new TimeDensity.Discrete(n), new Weighting.Elbo(n), ConditionDropout.NONE);
    for (int k = 2; k <= n; k++) {
      double abarK = Math.pow(VP.alpha((double) k / n), 2);
      double abarPrev = Math.pow(VP.alpha((double) (k - 1) / n), 2);
      double beta = 1 - abarK / abarPrev;
      double post = (1 - abarPrev) * beta / (1 - abarK); // β̃_k, the posterior variance
      double want = n * beta * beta / (2 * post * (1 - beta) * (1 - abarK)); // Ho et al. 2020, eq. 12
      assertThat(obj.weight(VP, (double) k / n)).isCloseTo(want, within(1e-9 * want));
    }
    assertThat(obj.sampleTime(null, 0.5)).isEqualTo(0.5);
    assertThat(obj.sampleTime(null, 0.501)).isEqualTo(0.55);
  }

  @Test
  void flowMatchingWithSigmaMinIsLipmanCfmInOurClock() {
    double sm = 0.05;
    Objective obj = new FlowMatching(sm, new TimeDensity.Uniform(0, 1), Coupling.INDEPENDENT, ConditionDropout.NONE);
    RectifiedFlow rf = new RectifiedFlow();
    check(obj, rf, new VelocityParameterisation(), (h, i) -> {
      double t = h.t[i];
      double[] x = new double[Harness.D];
      double[] u = new double[Harness.D];
      for (int j = 0; j < x.length; j++) {
        // Lipman: ψ_τ = (1 − (1 − σ_min)τ) ε + τ x_data, u = x_data − (1 − σ_min) ε, with τ = 1 − t, d/dt = −d/dτ.
        double tau = 1 - t;
        x[j] = (1 - (1 - sm) * tau) * h.eps[i][j] + tau * h.x0[i][j];
        u[j] = -(h.x0[i][j] - (1 - sm) * h.eps[i][j]);
      }
      return Harness.mse(h.net(x, t), u);
    });
  }

  @Test
  void flowMatchingWithoutSigmaMinOnTheLinearPathRegressesOnEpsMinusX0() {
    Objective obj = new FlowMatching(0, new TimeDensity.Uniform(0, 1), Coupling.INDEPENDENT, ConditionDropout.NONE);
    check(obj, new RectifiedFlow(), new VelocityParameterisation(), (h, i) -> {
      double t = h.t[i];
      double[] x = xt(h, i, 1 - t, t);
      double[] u = new double[Harness.D];
      for (int j = 0; j < u.length; j++) {
        u[j] = h.eps[i][j] - h.x0[i][j];
      }
      return Harness.mse(h.net(x, t), u);
    });
  }
}
