package org.diffuse4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffuse4j.runtime.TestRuns.Call;
import org.diffuse4j.runtime.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleCommandTest {
  @TempDir Path tmp;

  @Test
  void samplesAgainWithOtherSettingsWithoutTraining() throws Exception {
    Path m = TestRuns.manifest(tmp, TestRuns.TINY);
    Path run = tmp.resolve("run");
    assertThat(TestRuns.cli("run", m.toString(), "--out", run.toString()).code()).isZero();
    String state = Files.readString(run.resolve("checkpoint/state.json"));

    Call c = TestRuns.cli("sample", run.toString(), "--set", "sampling.steps=3", "--set", "sampling.n=50");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(Npy.read(run.resolve("samples.npy")).shape()).containsExactly(50, 2);
    assertThat(new ObjectMapper().readTree(run.resolve("metrics.json").toFile()).get("nfe").asInt()).isEqualTo(3);
    assertThat(Files.readString(run.resolve("checkpoint/state.json"))).isEqualTo(state); // no training happened
  }

  @Test
  void refusesToChangeTrainingOrAMissingRunFolder() throws Exception {
    Path m = TestRuns.manifest(tmp, TestRuns.TINY);
    Path run = tmp.resolve("run");
    assertThat(TestRuns.cli("run", m.toString(), "--out", run.toString()).code()).isZero();
    Call training = TestRuns.cli("sample", run.toString(), "--set", "training.steps=100");
    assertThat(training.code()).isNotZero();
    assertThat(training.err()).contains("only changes sampling", "use 'run' to retrain");
    Call missing = TestRuns.cli("sample", tmp.resolve("nothing").toString());
    assertThat(missing.code()).isNotZero();
    assertThat(missing.err()).contains("not a run folder");
  }
}
