package org.diffuse4j.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.runtime.TestRuns;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.plugins.PluginDiscovery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmaTest {
  @TempDir Path tmp;

  private static final String EMA_SETTINGS = "training: {steps: 30, batch_size: 64, lr: 0.003, log_every: 10, "
      + "ema: 0.95, optimizer: adamw, clip_norm: 1.0}";

  @Test
  void emaVariableIsTheAverageOfTheWeightTrajectory() {
    String yaml = TestRuns.TINY.replaceAll("training: \\{.*}", "training: {steps: 6, batch_size: 16, ema: 0.9}")
        + "precision: float64\n";
    Manifest m = ManifestLoader.resolve(ManifestLoader.parse(yaml, "test"), PluginDiscovery.discover((Path) null));
    try (Trainer t = new Trainer(m, 2)) {
      String name = t.variableNames().stream().filter(n -> n.endsWith("layer1/w")).findFirst().orElseThrow();
      double[] ema = null;
      for (int k = 0; k < 6; k++) {
        t.step(k);
        double[] w = t.read(name);
        if (k == 0) {
          ema = w.clone(); // the average starts at the weights after the first update
        } else {
          double d = m.training().emaDecay(k);
          for (int i = 0; i < w.length; i++) {
            ema[i] = d * ema[i] + (1 - d) * w[i];
          }
        }
      }
      double[] got = t.readEma(name);
      double[] last = t.read(name);
      double moved = 0;
      for (int i = 0; i < got.length; i++) {
        assertThat(got[i]).as("ema[%d]", i).isCloseTo(ema[i], within(1e-12));
        moved = Math.max(moved, Math.abs(got[i] - last[i]));
      }
      assertThat(moved).as("the average lags the weights").isGreaterThan(1e-4);
    }
  }

  @Test
  void resumedRunEqualsUninterruptedOneIncludingEmaAndSamplesUseEma() throws Exception {
    Path m = TestRuns.manifest(tmp, TestRuns.TINY.replaceAll("training: \\{.*}", EMA_SETTINGS));
    Path whole = tmp.resolve("whole");
    Path parts = tmp.resolve("parts");
    assertThat(TestRuns.cli("run", m.toString(), "--out", whole.toString()).code()).isZero();
    assertThat(TestRuns.cli("run", m.toString(), "--out", parts.toString(), "--set", "training.steps=12").code()).isZero();
    TestRuns.Call resumed = TestRuns.cli("run", m.toString(), "--out", parts.toString(), "--resume");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(Files.readString(parts.resolve("checkpoint/state.json")))
        .isEqualTo(Files.readString(whole.resolve("checkpoint/state.json"))).contains("\"ema\":true");
    assertThat(Files.readAllBytes(parts.resolve("checkpoint/variables.data-00000-of-00001")))
        .isEqualTo(Files.readAllBytes(whole.resolve("checkpoint/variables.data-00000-of-00001")));
    double[] samples = Npy.read(whole.resolve("samples.npy")).data();
    assertThat(Npy.read(parts.resolve("samples.npy")).data()).containsExactly(samples);
    Map<?, ?> metrics = new ObjectMapper().readValue(whole.resolve("metrics.json").toFile(), Map.class);
    assertThat(metrics.get("ema_weights")).isEqualTo(true);

    TestRuns.Call changed = TestRuns.cli("run", m.toString(), "--out", parts.toString(), "--resume",
        "--set", "training.ema=0", "--set", "training.steps=40");
    assertThat(changed.code()).isNotZero();
    assertThat(changed.err()).contains("training.ema: 0.95 → 0", "--set training.ema=0.95");

    Path raw = tmp.resolve("raw");
    TestRuns.Call c = TestRuns.cli("run", m.toString(), "--out", raw.toString(), "--set", "sampling.use_ema=false");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(Npy.read(raw.resolve("samples.npy")).data()).isNotEqualTo(samples);
    assertThat(new ObjectMapper().readValue(raw.resolve("metrics.json").toFile(), Map.class).get("ema_weights")).isEqualTo(false);
  }
}
