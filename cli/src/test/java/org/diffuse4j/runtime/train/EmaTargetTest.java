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
 * run's EMA (decay 0 on the first step, so θ⁻ = θ again after it, then lagging), and takes no gradient.
 */
class EmaTargetTest {

  /** loss = ‖net_θ(x)‖² − ‖net_θ⁻(x)‖² per example: 0 exactly while θ⁻ = θ. */
  static final class Probe implements Objective {
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
    String yaml = TestRuns.TINY.replaceAll("training: \\{.*}", "training: {steps: 3, batch_size: 16, ema: " + ema + "}")
        + "precision: float64\n";
    return TestRuns.withObjective(yaml, new Probe());
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
}
