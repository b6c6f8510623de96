package org.diffuse4j.objectives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.Coupling;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.TrainingBatch;
import java.util.List;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.schedules.EpsParameterisation;
import org.diffuse4j.schedules.RectifiedFlow;
import org.diffuse4j.schedules.VariancePreserving;
import org.diffuse4j.schedules.VelocityParameterisation;
import org.junit.jupiter.api.Test;

/** SB-CFM, the VP interpolant, the noisy classifier and condition dropout against their formulas. */
class BridgeAndClassifierTest {
  static final double[] TIMES = {0.05, 0.2, 0.45, 0.7, 0.93};

  private static double z(long stream, int i, int j) {
    return CounterNoise.gaussian(Harness.SEED, i, stream, j);
  }

  private static void assertLoss(Harness h, Tensor loss, double[] want) {
    double[] got = h.run(loss);
    for (int i = 0; i < want.length; i++) {
      assertThat(got[i]).as("example %d", i).isCloseTo(want[i], within(1e-12 * Math.max(1, Math.abs(want[i]))));
    }
    double[] grad = h.run(loss.mean().gradient(h.wT));
    assertThat(java.util.Arrays.stream(grad).allMatch(Double::isFinite)).as("finite gradient").isTrue();
  }

  @Test
  void schrodingerBridgeMatchesTongEtAl() {
    double sigma = 0.7;
    Objective obj = new SchrodingerBridgeFlowMatching(sigma, new TimeDensity.Uniform(0, 1), Coupling.INDEPENDENT, ConditionDropout.NONE);
    try (Harness h = new Harness(TIMES)) {
      // The run's schedule must not matter: SB-CFM has its own (linear) path.
      TrainingBatch b = h.batch(new VariancePreserving(0.1, 20), t -> obj.weight(null, t), Condition.none());
      Tensor loss = obj.loss(b, h.network(), new VelocityParameterisation());
      double[] want = new double[Harness.B];
      for (int i = 0; i < Harness.B; i++) {
        double t = h.t[i];
        double[] x = new double[Harness.D];
        double[] u = new double[Harness.D];
        for (int j = 0; j < Harness.D; j++) {
          double mu = (1 - t) * h.x0[i][j] + t * h.eps[i][j];
          x[j] = mu + sigma * Math.sqrt(t * (1 - t)) * z(SchrodingerBridgeFlowMatching.STREAM, i, j);
          // Tong et al. 2023, eq. 15 form: u = (1 − 2t)/(2t(1 − t))·(x − μ_t) + (x_end − x_start).
          u[j] = (1 - 2 * t) / (2 * t * (1 - t)) * (x[j] - mu) + (h.eps[i][j] - h.x0[i][j]);
        }
        want[i] = Harness.mse(h.net(x, t), u);
      }
      assertLoss(h, loss, want);
    }
  }

  @Test
  void variancePreservingInterpolantMatchesTorchCfmVpCfm() {
    double sigma = 0.1;
    Objective obj = new StochasticInterpolant(sigma, new TimeDensity.Uniform(0, 1), Coupling.INDEPENDENT, ConditionDropout.NONE);
    try (Harness h = new Harness(TIMES)) {
      TrainingBatch b = h.batch(new RectifiedFlow(), t -> obj.weight(null, t), Condition.none());
      Tensor loss = obj.loss(b, h.network(), new VelocityParameterisation());
      double[] want = new double[Harness.B];
      for (int i = 0; i < Harness.B; i++) {
        double tau = 1 - h.t[i]; // TorchCFM's clock: x_τ = cos(πτ/2) ε + sin(πτ/2) x_data
        double[] x = new double[Harness.D];
        double[] u = new double[Harness.D];
        for (int j = 0; j < Harness.D; j++) {
          x[j] = Math.cos(Math.PI * tau / 2) * h.eps[i][j] + Math.sin(Math.PI * tau / 2) * h.x0[i][j]
              + sigma * z(StochasticInterpolant.STREAM, i, j);
          double uTau = Math.PI / 2 * (Math.cos(Math.PI * tau / 2) * h.x0[i][j] - Math.sin(Math.PI * tau / 2) * h.eps[i][j]);
          u[j] = -uTau; // d/dt = −d/dτ
        }
        want[i] = Harness.mse(h.net(x, h.t[i]), u);
      }
      assertLoss(h, loss, want);
    }
  }

  @Test
  void noisyClassifierIsCrossEntropyOfLogits() {
    VariancePreserving vp = new VariancePreserving(0.1, 20);
    double[] labels = {0, 2, 1, 1, 0};
    Objective obj = new NoisyClassifier(new TimeDensity.Uniform(0, 1));
    try (Harness h = new Harness(TIMES)) {
      TrainingBatch b = h.batch(vp, t -> 1, new Condition(h.b.constant(labels, Harness.B)));
      Tensor loss = obj.loss(b, h.network(), new EpsParameterisation());
      double[] want = new double[Harness.B];
      for (int i = 0; i < Harness.B; i++) {
        double t = h.t[i];
        double[] x = new double[Harness.D];
        for (int j = 0; j < Harness.D; j++) {
          x[j] = vp.alpha(t) * h.x0[i][j] + vp.sigma(t) * h.eps[i][j];
        }
        double[] logits = h.net(x, t);
        double norm = 0;
        for (double l : logits) {
          norm += Math.exp(l);
        }
        want[i] = -Math.log(Math.exp(logits[(int) labels[i]]) / norm);
      }
      assertLoss(h, loss, want);
    }
  }

  @Test
  void conditionDropoutReplacesACounterBasedSubsetByTheNullLabel() {
    int n = 2000;
    double p = 0.3;
    double[] labels = new double[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 10;
    }
    try (Harness h = new Harness(TIMES)) {
      Condition c = new Condition(h.b.constant(labels, n));
      Condition dropped = new ConditionDropout(p, 10).apply(c, new org.diffuse4j.api.ConstantNoise(Harness.SEED, 0));
      double[] got = h.run(dropped.labels());
      int nulls = 0;
      double q = -0.5244005127080407; // Φ⁻¹(0.3)
      for (int i = 0; i < n; i++) {
        boolean drop = CounterNoise.gaussian(Harness.SEED, i, ConditionDropout.STREAM, 0) < q;
        assertThat(got[i]).isEqualTo(drop ? 10 : labels[i]);
        nulls += drop ? 1 : 0;
      }
      assertThat(nulls / (double) n).isCloseTo(p, within(0.04));
      assertThat(ConditionDropout.NONE.apply(c, null)).isSameAs(c);
      double[] all = h.run(new ConditionDropout(1, -1).apply(c, new org.diffuse4j.api.ConstantNoise(1, 0)).labels());
      assertThat(java.util.Arrays.stream(all).allMatch(v -> v == -1)).isTrue();
    }
  }

  @Test
  void lossesBuildAndAgreeInFloat32() {
    VariancePreserving vp = new VariancePreserving(0.1, 20);
    double[] labels = {0, 2, 1, 1, 0};
    List<Objective> objectives = List.of(
        new Denoising(new TimeDensity.Uniform(0, 1), new Weighting.MinSnr(5), new ConditionDropout(0.5, 3)),
        new SchrodingerBridgeFlowMatching(0.5, new TimeDensity.Uniform(0, 1), Coupling.INDEPENDENT, ConditionDropout.NONE),
        new StochasticInterpolant(0.1, new TimeDensity.Uniform(0, 1), Coupling.INDEPENDENT, ConditionDropout.NONE),
        new NoisyClassifier(new TimeDensity.Uniform(0, 1)));
    for (Objective obj : objectives) {
      double[][] out = new double[2][];
      int k = 0;
      for (Precision p : new Precision[] {Precision.FLOAT64, Precision.FLOAT32}) {
        try (Harness h = new Harness(TIMES, p)) {
          TrainingBatch b = h.batch(vp, t -> obj.weight(vp, t), new Condition(h.b.constant(labels, Harness.B)));
          out[k++] = h.run(obj.loss(b, h.network(), new VelocityParameterisation()));
        }
      }
      for (int i = 0; i < Harness.B; i++) {
        assertThat(out[1][i]).as(obj.getClass().getSimpleName()).isCloseTo(out[0][i], within(1e-4 * Math.max(1, Math.abs(out[0][i]))));
      }
    }
  }

  @Test
  void dropoutReachesTheNetworkInsideTheLoss() {
    VariancePreserving vp = new VariancePreserving(0.1, 20);
    double[] labels = {1, 2, 3, 4, 5};
    Objective obj = new Denoising(new TimeDensity.Uniform(0, 1), new Weighting.Uniform(), new ConditionDropout(1, 0));
    try (Harness h = new Harness(TIMES)) {
      TrainingBatch b = h.batch(vp, t -> 1, new Condition(h.b.constant(labels, Harness.B)));
      // The network adds 0.1·label to every output; with p_uncond = 1 it must see label 0 everywhere.
      Tensor loss = obj.loss(b, (x, t, c) -> h.network().apply(x, t, c).plus(c.labels().reshape(-1, 1).times(0.1)),
          new EpsParameterisation());
      double[] want = new double[Harness.B];
      for (int i = 0; i < Harness.B; i++) {
        double t = h.t[i];
        double[] x = new double[Harness.D];
        for (int j = 0; j < Harness.D; j++) {
          x[j] = vp.alpha(t) * h.x0[i][j] + vp.sigma(t) * h.eps[i][j];
        }
        want[i] = Harness.mse(h.net(x, t), h.eps[i]);
      }
      assertLoss(h, loss, want);
    }
  }
}
