package org.diffuse4j.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Set;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.TrainingNetworks;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.runtime.TestRuns;
import org.diffuse4j.runtime.manifest.Manifest;
import org.junit.jupiter.api.Test;

/**
 * The learned log-variance u_φ ({@link Objective.Need#WEIGHTING}): L·e^{−u} + u is smallest at
 * u = ln L, so trained on a loss that is a known function L(t) of the time alone, u_φ(t) must reach
 * ln L(t) at every time; it starts at 0 (the plain loss).
 */
class LearnedWeightTest {

  /** L(t) = exp(3t − 2), per example, plus 0 × the network's output (so the model has gradients). */
  static final class Probe implements Objective {
    @Override
    public double sampleTime(Schedule schedule, double u) {
      return 0.1 + 0.8 * u;
    }

    @Override
    public Set<Need> needs() {
      return Set.of(Need.WEIGHTING);
    }

    @Override
    public Tensor loss(TrainingBatch b, Network network, Parameterisation param) {
      throw new AssertionError("the trainer must call the loss with the learned weighting");
    }

    @Override
    public Tensor loss(TrainingBatch b, TrainingNetworks n, Parameterisation param) {
      Tensor l = b.point().t().times(3).minus(2).exp().reshape(-1)
          .plus(n.network().apply(b.xt(), b.point().t(), b.condition()).sumPerSample().times(0));
      return n.weigh(l, b.point());
    }
  }

  private static Manifest manifest() {
    String yaml = TestRuns.TINY.replaceAll("training: \\{.*}", "training: {steps: 600, batch_size: 64, lr: 0.03}")
        + "precision: float64\n";
    return TestRuns.withObjective(yaml, new Probe());
  }

  /** u(t) from φ = (w, b), recomputed from the features' definition (EDM2: √2 cos 2π(f c + φ), c = ln(σ/α)/4). */
  private static double u(double[] w, double b, double t, long seed) {
    double c = Math.log(t / (1 - t)) / 4; // rectified flow: σ/α = t/(1 − t)
    double u = b;
    for (int i = 0; i < w.length; i++) {
      double f = CounterNoise.gaussian(seed, 0, 0x10a7, i);
      double phase = CounterNoise.uniform(seed, 1, 0x10a7, i);
      u += w[i] * Math.sqrt(2) * Math.cos(2 * Math.PI * (f * c + phase));
    }
    return u;
  }

  @Test
  void startsAtZeroAndLearnsTheLogOfTheLossAtEachTime() {
    Manifest m = manifest();
    try (Trainer t = new Trainer(m, 2)) {
      assertThat(t.read("weighting/w")).hasSize(LogVarianceNetwork.FEATURES).containsOnly(0.0);
      assertThat(t.read("weighting/b")).containsExactly(0.0);
      // at u = 0 the weighted loss is L itself: its batch mean lies between L(0.1) and L(0.9)
      assertThat(t.step(0)).isBetween(Math.exp(0.3 - 2), Math.exp(2.7 - 2));
      for (int k = 1; k < m.training().steps(); k++) {
        t.step(k);
      }
      double[] w = t.read("weighting/w");
      double b = t.read("weighting/b")[0];
      for (double time : new double[] {0.15, 0.3, 0.5, 0.7, 0.85}) {
        assertThat(u(w, b, time, m.seed())).as("u(%s) against ln L = 3t − 2", time).isCloseTo(3 * time - 2, within(0.03));
      }
    }
  }
}
