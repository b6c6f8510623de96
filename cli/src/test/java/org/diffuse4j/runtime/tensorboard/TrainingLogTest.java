package org.diffuse4j.runtime.tensorboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.runtime.TestRuns;
import org.diffuse4j.runtime.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

class TrainingLogTest {
  @TempDir Path tmp;

  @Test
  void trainingWritesLossLearningRateGradientNormEmaAndTheManifest() throws IOException {
    String yaml = TestRuns.TINY.replace("training: {steps: 30, batch_size: 64, lr: 0.003, log_every: 10}",
        "training: {steps: 30, batch_size: 64, lr: 0.003, log_every: 10, warmup: 20, ema: 0.99}");
    Path m = TestRuns.manifest(tmp, yaml);
    Path run = tmp.resolve("run");
    TestRuns.Call c = TestRuns.cli("run", m.toString(), "--out", run.toString());
    assertThat(c.code()).as(c.err()).isZero();

    List<Double> losses = new Checkpoint(run).state().losses();
    assertThat(losses).hasSize(30);
    Map<String, Map<Long, Float>> scalars = new TreeMap<>();
    String manifestText = null;
    for (Event e : EventFiles.readAll(run.resolve("tensorboard"))) {
      for (Summary.Value v : e.getSummary().getValueList()) {
        if (v.getTag().equals("manifest")) {
          manifestText = v.getTensor().getStringVal(0).toStringUtf8();
        } else {
          scalars.computeIfAbsent(v.getTag(), k -> new TreeMap<>()).put(e.getStep(), SummaryFileTest.value(v));
        }
      }
    }
    assertThat(scalars.keySet()).containsExactly("ema_decay", "grad_norm", "learning_rate", "loss");
    for (long step : List.of(10L, 20L, 30L)) {
      double mean = 0;
      for (int k = (int) step - 10; k < step; k++) {
        mean += losses.get(k) / 10;
      }
      assertThat((double) scalars.get("loss").get(step)).as("mean loss of steps %d-%d", step - 9, step)
          .isCloseTo(mean, within(1e-6 * Math.abs(mean)));
      // linear warm-up over 20 steps: step s (1-based) runs at lr·min(1, s/20)
      assertThat((double) scalars.get("learning_rate").get(step)).isCloseTo(0.003 * Math.min(1, step / 20.0), within(1e-9));
      // EMA warm-up: min(0.99, (1+k)/(10+k)) after 0-based step k = s − 1
      assertThat((double) scalars.get("ema_decay").get(step)).isCloseTo(Math.min(0.99, step / (9.0 + step)), within(1e-7));
      assertThat(scalars.get("grad_norm").get(step)).isPositive().isFinite();
    }
    assertThat(scalars.get("loss")).hasSize(3);
    assertThat(manifestText).as("the manifest as a Markdown code block")
        .isEqualTo("    " + Files.readString(run.resolve("manifest.yaml")).strip().replace("\n", "\n    "));
  }

  @Test
  void imageDataGetsASampleGridAtEveryCheckpoint() throws IOException {
    int n = 256;
    double[] rows = new double[n * 16];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = ((i * 7919) % 200) / 100.0 - 1; // 4×4 "images" in [-1, 1]
    }
    Path npy = tmp.resolve("images.npy");
    Npy.writeFloat32(npy, rows, n, 16);
    Path m = TestRuns.manifest(tmp, """
        data: {name: npy, path: %s}
        network: {name: mlp, width: 32, depth: 2, time_embedding: 16}
        schedule: rectified-flow
        parameterisation: velocity
        objective: test-regression
        training: {steps: 20, batch_size: 32, lr: 0.003, log_every: 10, checkpoint_every: 10}
        sampling: {solver: test-euler, grid: uniform, steps: 4, n: 32, batch_size: 32}
        seed: 3
        """.formatted(npy));
    Path run = tmp.resolve("run");
    TestRuns.Call c = TestRuns.cli("run", m.toString(), "--out", run.toString());
    assertThat(c.code()).as(c.err()).isZero();
    List<Long> imageSteps = new ArrayList<>();
    for (Event e : EventFiles.readAll(run.resolve("tensorboard"))) {
      for (Summary.Value v : e.getSummary().getValueList()) {
        if (v.hasImage()) {
          imageSteps.add(e.getStep());
          // 16 samples of 4×4, 8 per row, 2 px apart: 2 rows → 10 × 46 pixels, grey
          assertThat(v.getImage().getHeight()).isEqualTo(2 * 6 - 2);
          assertThat(v.getImage().getWidth()).isEqualTo(8 * 6 - 2);
          assertThat(v.getImage().getColorspace()).isEqualTo(1);
        }
      }
    }
    assertThat(imageSteps).containsExactly(10L, 20L);
  }

  @Test
  void gridPlacesEachImageInItsCell() {
    double[] images = new double[3 * 2 * 2];
    java.util.Arrays.fill(images, 0, 4, -1.0); // black
    java.util.Arrays.fill(images, 4, 8, 1.0); // white
    java.util.Arrays.fill(images, 8, 12, 0.0); // mid grey
    byte[] g = TrainingLog.grid(images, 3, 2, 1, 2); // 2 per row: 2 rows of (2 + 2 + 2) = 6 wide, 6 high
    assertThat(g).hasSize(6 * 6);
    assertThat(g[0] & 255).isZero();
    assertThat(g[2] & 255).as("gap").isEqualTo(255);
    assertThat(g[4] & 255).isEqualTo(255);
    assertThat(g[4 * 6] & 255).isEqualTo(128);
    assertThat(g[4 * 6 + 4] & 255).as("empty cell stays white").isEqualTo(255);
    assertThat(TrainingLog.channels(2)).isZero();
    assertThat(TrainingLog.channels(784)).isEqualTo(1);
    assertThat(TrainingLog.channels(3 * 64)).isEqualTo(3);
  }
}
