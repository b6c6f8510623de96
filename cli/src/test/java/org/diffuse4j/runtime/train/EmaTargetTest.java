package org.diffuse4j.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Set;
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
 * The EMA target θ⁻ an objective asks for ({@link Objective.Need#TARGET}): it starts equal to θ, is the
 * run's EMA (decay 0 on the first step, so θ⁻ = θ again after it, then lagging), and takes no gradient;
 * with its own decay μ ({@link Objective#targetDecay()}) it is its own average θ⁻ ← μθ⁻ + (1 − μ)θ, apart
 * from the run's EMA, and with μ = 0 it is θ itself.
 */
class EmaTargetTest {

  /** loss = ‖net_θ(x)‖² − ‖net_θ⁻(x)‖² per example: 0 exactly while θ⁻ = θ. */
  static final class Probe implements Objective {
    private final double decay;

    Probe(double decay) {
      this.decay = decay;
    }

    Probe() {
      this(-1);
    }

    @Override
    public double targetDecay() {
      return decay;
    }

    @Override
    public double sampleTime(Schedule schedule, double u) {
      return 0.1 + 0.8 * u;
    }

    @Override
    public Set<Need> needs() {
      return Set.of(Need.TARGET);
    }

    @Override
    public Tensor loss(TrainingBatch b, Network network, Parameterisation param) {
      throw new AssertionError("the trainer must call the loss with the target");
    }

    @Override
    public Tensor loss(TrainingBatch b, TrainingNetworks n, Parameterisation param) {
      Tensor x = b.xt();
      Tensor t = b.point().t();
      return n.network().apply(x, t, b.condition()).square().sumPerSample()
          .minus(n.target().apply(x, t, b.condition()).square().sumPerSample());
    }
  }

  private static Manifest manifest(double ema) {
    return manifest(ema, -1);
  }

  private static Manifest manifest(double ema, double targetDecay) {
    String yaml = TestRuns.TINY.replaceAll("training: \\{.*}", "training: {steps: 3, batch_size: 16, ema: " + ema + "}")
        + "precision: float64\n";
    return TestRuns.withObjective(yaml, new Probe(targetDecay));
  }

  @Test
  void targetStartsAtTheWeightsAndFollowsTheirEma() {
    try (Trainer t = new Trainer(manifest(0.9), 2)) {
      String name = t.variableNames().get(0);
      assertThat(t.readEma(name)).containsExactly(t.read(name));
      assertThat(t.step(0)).as("θ⁻ = θ at the start").isCloseTo(0.0, within(1e-12));
      assertThat(t.step(1)).as("θ⁻ = θ after the first update (decay 0)").isCloseTo(0.0, within(1e-12));
      assertThat(t.readEma(name)).isNotEqualTo(t.read(name));
      assertThat(Math.abs(t.step(2))).as("θ⁻ lags θ from the second update on").isGreaterThan(1e-9);
    }
  }

  @Test
  void aTargetWithoutEmaIsRefused() {
    assertThatThrownBy(() -> new Trainer(manifest(0), 2)).hasMessageContaining("training.ema");
  }

  @Test
  void aTargetWithItsOwnDecayIsItsOwnAverage() {
    try (Trainer t = new Trainer(manifest(0.9, 0.5), 2)) {
      String name = t.variableNames().get(0);
      String target = "target/" + name;
      double[] before = t.read(name);
      assertThat(t.read(target)).as("θ⁻ = θ at the start").containsExactly(before);
      double[] prev = before;
      for (int k = 0; k < 2; k++) {
        t.step(k);
        double[] now = t.read(name);
        double[] expected = new double[now.length];
        for (int i = 0; i < now.length; i++) {
          expected[i] = 0.5 * prev[i] + 0.5 * now[i];
        }
        assertThat(t.read(target)).as("θ⁻ after step %d", k).containsExactly(expected, within(1e-15));
        prev = expected;
      }
      assertThat(t.readEma(name)).as("the run's EMA (decay 0.9) is apart from the target").isNotEqualTo(t.read(target));
    }
  }

  @Test
  void aTargetWithDecayZeroIsTheNetworkItselfAndNeedsNoEma() {
    try (Trainer t = new Trainer(manifest(0, 0), 2)) {
      for (int k = 0; k < 3; k++) {
        assertThat(t.step(k)).as("θ⁻ = θ at step %d", k).isCloseTo(0.0, within(1e-12));
      }
    }
  }
}
