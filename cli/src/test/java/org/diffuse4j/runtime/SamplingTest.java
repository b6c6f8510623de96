package org.diffuse4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.runtime.TestRuns.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamplingTest {
  @TempDir Path tmp;

  private static final String GMM = """
      data: gmm
      network: gmm
      schedule: rectified-flow
      parameterisation: velocity
      objective: test-regression
      training: {steps: 100}
      sampling: {solver: test-euler, steps: 40, n: 1000, batch_size: 500}
      precision: float64
      seed: 3
      """;

  @Test
  void analyticMixtureNeedsNoTrainingAndMatchesItsData() throws Exception {
    Path out = tmp.resolve("gmm");
    Call c = TestRuns.cli("run", TestRuns.manifest(tmp, GMM).toString(), "--out", out.toString());
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(out.resolve("loss.png")).doesNotExist();
    @SuppressWarnings("unchecked")
    Map<String, Object> m = new ObjectMapper().readValue(out.resolve("metrics.json").toFile(), Map.class);
    assertThat(((Number) m.get("train_steps")).intValue()).isZero();
    double sw = ((Number) m.get("sliced_wasserstein")).doubleValue();
    double base = ((Number) m.get("sliced_wasserstein_baseline")).doubleValue();
    // exact model, 40 Euler steps: within a small multiple of the sampling noise floor
    assertThat(sw).isLessThan(3 * base + 0.02);
  }

  @Test
  void float64GraphsTrainAndSample() throws Exception {
    Path out = tmp.resolve("f64");
    Call c = TestRuns.cli("run", TestRuns.manifest(tmp, TestRuns.TINY).toString(), "--out", out.toString(),
        "--set", "precision=float64", "--set", "training.steps=5", "--set", "sampling.solver=test-guice-euler");
    assertThat(c.code()).as(c.err()).isZero();
    double[] samples = Npy.read(out.resolve("samples.npy")).data();
    assertThat(samples).hasSize(600);
    assertThat(java.util.Arrays.stream(samples).allMatch(Double::isFinite)).isTrue();
  }

  @Test
  void resumingWithADifferentNetworkFailsClearly() throws Exception {
    Path manifest = TestRuns.manifest(tmp, TestRuns.TINY);
    Path out = tmp.resolve("r");
    assertThat(TestRuns.cli("run", manifest.toString(), "--out", out.toString(), "--set", "training.steps=3").code()).isZero();
    Call c = TestRuns.cli("run", manifest.toString(), "--out", out.toString(), "--resume", "--set", "network.width=16");
    assertThat(c.code()).isNotZero();
    assertThat(c.err()).contains("checkpoint", "does not fit").doesNotContain("\tat ");
  }

  @Test
  void initialNoiseFromAFileReproducesTheDrawnNoise() throws Exception {
    Path manifest = TestRuns.manifest(tmp, TestRuns.TINY.replace("steps: 30,", "steps: 0,"));
    Path drawn = tmp.resolve("drawn");
    assertThat(TestRuns.cli("run", manifest.toString(), "--out", drawn.toString()).code()).isZero();
    // the engine's own initial noise: CounterNoise stream 0 of samples 0..n-1 with the manifest seed
    Path init = tmp.resolve("init.npy");
    Npy.writeFloat64(init, CounterNoise.gaussian(7, 0, 300, 2, 0), 300, 2);
    Path fed = tmp.resolve("fed");
    Call c = TestRuns.cli("run", manifest.toString(), "--out", fed.toString(), "--init", init.toString());
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(Npy.read(fed.resolve("samples.npy")).data()).containsExactly(Npy.read(drawn.resolve("samples.npy")).data());

    Path wrong = tmp.resolve("wrong.npy");
    Npy.writeFloat64(wrong, new double[30], 10, 3);
    Call bad = TestRuns.cli("run", manifest.toString(), "--out", tmp.resolve("bad").toString(), "--init", wrong.toString());
    assertThat(bad.code()).isNotZero();
    assertThat(bad.err()).contains("sampling.init", "[10, 3]");
  }
}
