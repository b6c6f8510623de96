package org.diffuse4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.runtime.TestRuns.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndToEndTest {
  @TempDir Path tmp;

  @Test
  void tinyRunWritesEveryFileOfTheRunFolder() throws Exception {
    Path m = TestRuns.manifest(tmp, TestRuns.TINY);
    Path out = tmp.resolve("run");
    Call c = TestRuns.cli("run", m.toString(), "--out", out.toString());
    assertThat(c.code()).as(c.err()).isZero();
    for (String f : new String[] {"manifest.yaml", "checkpoint/state.json", "checkpoint/variables.index",
        "samples.npy", "samples.png", "loss.png", "metrics.json", "run.log"}) {
      assertThat(out.resolve(f)).as(f).isRegularFile();
    }
    Npy.Array s = Npy.read(out.resolve("samples.npy"));
    assertThat(s.shape()).containsExactly(300, 2);
    @SuppressWarnings("unchecked")
    Map<String, Object> metrics = new ObjectMapper().readValue(out.resolve("metrics.json").toFile(), Map.class);
    assertThat(metrics).containsKeys("sliced_wasserstein", "sliced_wasserstein_baseline", "nfe", "train_seconds",
        "sample_seconds", "train_ms_per_step", "sample_ms_per_step", "final_loss");
    assertThat(((Number) metrics.get("nfe")).intValue()).isEqualTo(8);
    assertThat(((Number) metrics.get("final_loss")).doubleValue()).isFinite().isPositive();
    assertThat(Files.readString(out.resolve("run.log"))).contains("step 30/30", "sliced_wasserstein");
    assertThat(Files.readString(out.resolve("manifest.yaml"))).contains("batch_size: 64", "solver: \"test-euler\"");
  }

  @Test
  void sameSeedAndChunkSizeGiveIdenticalSamplesAndAnotherChunkSizeOnlyRoundsDifferently() throws Exception {
    Path m = TestRuns.manifest(tmp, TestRuns.TINY.replace("test-euler", "{name: test-sde, scale: 0.5}"));
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Path c = tmp.resolve("c");
    assertThat(TestRuns.cli("run", m.toString(), "--out", a.toString()).code()).isZero();
    assertThat(TestRuns.cli("run", m.toString(), "--out", b.toString()).code()).isZero();
    assertThat(TestRuns.cli("run", m.toString(), "--out", c.toString(), "--set", "sampling.batch_size=300").code()).isZero();
    double[] sa = Npy.read(a.resolve("samples.npy")).data();
    assertThat(Npy.read(b.resolve("samples.npy")).data()).containsExactly(sa);
    // another chunk size: float rounding only (bitwise equal with AVX-512; a stochastic solver on an
    // AVX2-only CPU differed by up to 2e-5, issue 11); 1e-3 is 50× that, far below a sample drawn
    // with another row's noise (O(1))
    assertThat(Npy.read(c.resolve("samples.npy")).data()).containsExactly(sa, within(1e-3));
    assertThat(Files.readAllBytes(a.resolve("samples.npy"))).isEqualTo(Files.readAllBytes(b.resolve("samples.npy")));
  }

  @Test
  void resumedTrainingEqualsAnUninterruptedRun() throws Exception {
    Path m = TestRuns.manifest(tmp, TestRuns.TINY);
    Path whole = tmp.resolve("whole");
    Path parts = tmp.resolve("parts");
    assertThat(TestRuns.cli("run", m.toString(), "--out", whole.toString()).code()).isZero();
    assertThat(TestRuns.cli("run", m.toString(), "--out", parts.toString(), "--set", "training.steps=12").code()).isZero();
    Call resumed = TestRuns.cli("run", m.toString(), "--out", parts.toString(), "--resume");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("resumed from", "at step 12");
    assertThat(Files.readString(parts.resolve("checkpoint/state.json")))
        .isEqualTo(Files.readString(whole.resolve("checkpoint/state.json")));
    assertThat(Npy.read(parts.resolve("samples.npy")).data()).containsExactly(Npy.read(whole.resolve("samples.npy")).data());
  }

  @Test
  void divergingLossStopsNamingTheStepAndKeepsTheLastGoodCheckpoint() throws Exception {
    Path m = TestRuns.manifest(tmp, TestRuns.TINY);
    Path out = tmp.resolve("nan");
    Call c = TestRuns.cli("run", m.toString(), "--out", out.toString(),
        "--set", "training.lr=1e12", "--set", "training.checkpoint_every=1", "--set", "training.steps=200");
    assertThat(c.code()).isNotZero();
    assertThat(c.err()).contains("diverged", "at step", "training.lr").doesNotContain("Exception", "\tat ");
    assertThat(out.resolve("checkpoint/state.json")).isRegularFile();
    String state = Files.readString(out.resolve("checkpoint/state.json"));
    assertThat(state).doesNotContain("NaN").doesNotContain("Infinity");
  }
}
