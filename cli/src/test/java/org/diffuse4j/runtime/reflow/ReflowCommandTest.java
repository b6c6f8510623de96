package org.diffuse4j.runtime.reflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.runtime.TestRuns.Call;
import org.diffuse4j.runtime.TestRuns;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code diffuse4j reflow}: pairs of counter-based noise and the run's own ODE endpoints. */
class ReflowCommandTest {
  @TempDir Path tmp;
  private Path run;

  @BeforeEach
  void trainTinyRun() throws Exception {
    run = TestRuns.tinyRun(tmp, "run");
  }

  @Test
  void endpointsAreWhatSampleDrawsFromTheSameNoiseAndTheCostIsTheirMeanSquaredDistance() throws Exception {
    Path pairs = tmp.resolve("pairs");
    Call r = TestRuns.cli("reflow", run.toString(), "--n", "50", "--out", pairs.toString(), "--json");
    assertThat(r.code()).as(r.err()).isZero();
    Npy.Array x0 = Npy.read(pairs.resolve("x0.npy"));
    Npy.Array noise = Npy.read(pairs.resolve("noise.npy"));
    assertThat(x0.shape()).containsExactly(50, 2);
    assertThat(noise.shape()).containsExactly(50, 2);

    Call s = TestRuns.cli("sample", run.toString(), "--set", "sampling.n=50", "--name", "n50");
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(x0.data()).containsExactly(Npy.read(run.resolve("samples/n50/samples.npy")).data());

    double[] eps = CounterNoise.gaussian(7, 0, 50, 2, 0); // the manifest's seed, stream 0: sample's initial noise
    double cost = 0;
    for (int i = 0; i < eps.length; i++) {
      assertThat(noise.data()[i]).isCloseTo(eps[i], within(1e-6));
      cost += Math.pow(x0.data()[i] - noise.data()[i], 2);
    }
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("transport_cost").asDouble()).isCloseTo(cost / 50, within(1e-5));
    assertThat(json.get("n").asInt()).isEqualTo(50);
    assertThat(Files.readString(pairs.resolve("pairs.json"))).contains("transport_cost");

    Call other = TestRuns.cli("reflow", run.toString(), "--n", "50", "--out", tmp.resolve("b7").toString(),
        "--set", "sampling.batch_size=7");
    assertThat(other.code()).as(other.err()).isZero();
    double[] b7 = Npy.read(tmp.resolve("b7/x0.npy")).data();
    for (int i = 0; i < b7.length; i++) {
      assertThat(b7[i]).as("batch-size independent, value %d", i).isCloseTo(x0.data()[i], within(1e-5));
    }
  }

  @Test
  void refusesStochasticSolversTrainingOverridesAndUntrainedFolders() throws Exception {
    Call sde = TestRuns.cli("reflow", run.toString(), "--set", "sampling.solver=test-sde");
    assertThat(sde.code()).isNotZero();
    assertThat(sde.err()).contains("deterministic", "'test-sde'", "sampling.solver=heun").doesNotContain("\tat ");

    Call training = TestRuns.cli("reflow", run.toString(), "--set", "training.steps=5");
    assertThat(training.code()).isNotZero();
    assertThat(training.err()).contains("only changes sampling");

    Path untrained = Files.createDirectories(tmp.resolve("untrained"));
    Files.copy(run.resolve("manifest.yaml"), untrained.resolve("manifest.yaml"));
    Call none = TestRuns.cli("reflow", untrained.toString());
    assertThat(none.code()).isNotZero();
    assertThat(none.err()).contains("no checkpoint", "train the run first");
    assertThat(untrained.resolve("reflow-pairs")).doesNotExist();

    Call missing = TestRuns.cli("reflow", tmp.resolve("nothing").toString());
    assertThat(missing.code()).isNotZero();
    assertThat(missing.err()).contains("not a run folder");
  }
}
