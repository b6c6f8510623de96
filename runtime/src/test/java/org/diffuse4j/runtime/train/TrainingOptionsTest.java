package org.diffuse4j.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.Options;
import org.diffuse4j.runtime.manifest.TrainingOptions;
import org.junit.jupiter.api.Test;

class TrainingOptionsTest {
  private static TrainingOptions bind(Map<String, ?> values) {
    return Options.bind(TrainingOptions.class, values, "training");
  }

  @Test
  void defaultsAreAdamAtAConstantRateWithoutClippingWithEma() {
    TrainingOptions o = bind(Map.of());
    assertThat(o.optimizer()).isEqualTo(TrainingOptions.Optimizer.ADAM);
    assertThat(o.clip_norm()).isZero();
    assertThat(o.ema()).isEqualTo(0.999);
    assertThat(o.ema_warmup()).isTrue();
    for (int k : new int[] {0, 1, 500, 999}) {
      assertThat(o.learningRate(k)).isEqualTo(1e-3);
    }
  }

  @Test
  void warmUpRisesLinearlyThenCosineFallsToMinLrAtTheLastStep() {
    TrainingOptions o = bind(Map.of("steps", 110, "lr", 0.01, "warmup", 10, "schedule", "cosine", "min_lr", 0.001));
    assertThat(o.learningRate(0)).isCloseTo(0.001, within(1e-15)); // 1/10 of lr
    assertThat(o.learningRate(4)).isCloseTo(0.005, within(1e-15));
    assertThat(o.learningRate(9)).isCloseTo(0.01, within(1e-15)); // warm-up ends at the peak
    assertThat(o.learningRate(10)).isCloseTo(0.01, within(1e-15)); // cosine starts at the peak
    // k = 10 + 99/2 is half way through the decay: cos(π/2) = 0 → (lr + min_lr)/2
    assertThat(o.learningRate(10 + 33)).isCloseTo(0.001 + 0.5 * 0.009 * (1 + Math.cos(Math.PI / 3)), within(1e-15));
    assertThat(o.learningRate(109)).isCloseTo(0.001, within(1e-15)); // the last step runs at min_lr
    assertThat(o.learningRate(200)).isCloseTo(0.001, within(1e-15));
  }

  @Test
  void emaDecayWarmsUpAsOnePlusKOverTenPlusK() {
    TrainingOptions o = bind(Map.of("ema", 0.99));
    assertThat(o.emaDecay(0)).isEqualTo(0.1);
    assertThat(o.emaDecay(10)).isEqualTo(11.0 / 20);
    assertThat(o.emaDecay(5000)).isEqualTo(0.99);
    assertThat(bind(Map.of("ema", 0.99, "ema_warmup", false)).emaDecay(0)).isEqualTo(0.99);
  }

  @Test
  void badValuesAreRejectedNamingTheKey() {
    assertThatThrownBy(() -> bind(Map.of("optimizer", "adamx"))).isInstanceOf(OptionException.class)
        .hasMessageContaining("training.optimizer").hasMessageContaining("adamw");
    assertThatThrownBy(() -> bind(Map.of("ema", 1))).isInstanceOf(OptionException.class).hasMessageContaining("ema");
    assertThatThrownBy(() -> bind(Map.of("schedule", "cosine", "lr", 0.001, "min_lr", 0.01)))
        .isInstanceOf(OptionException.class).hasMessageContaining("min_lr");
    assertThatThrownBy(() -> bind(Map.of("clip_norm", -1))).isInstanceOf(OptionException.class).hasMessageContaining("clip_norm");
  }
}
