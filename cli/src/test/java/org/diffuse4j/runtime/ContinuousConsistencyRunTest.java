package org.diffuse4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.runtime.TestRuns.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sCT ({@code objective: sct}) through the trainer, whose one training graph holds the network's
 * JVP along the TrigFlow trajectory, and one-step sampling of the result (docs/few-step.md).
 */
class ContinuousConsistencyRunTest {
  @TempDir Path tmp;

  @Test
  void sctTrainsInGraphModeAndSamplesInOneStep() throws Exception {
    String yaml = TestRuns.tinyOnTrigFlow(0.5)
        .replace("objective: test-regression", "objective: {name: sct, warmup_steps: 10}")
        .replace("solver: test-euler, grid: uniform, steps: 8",
            "solver: multistep-consistency, grid: {name: uniform, to_zero: true}, steps: 1");
    Path m = TestRuns.manifest(tmp, yaml);
    Path run = tmp.resolve("sct");
    Call c = TestRuns.cli("run", m.toString(), "--out", run.toString());
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode metrics = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
    assertThat(metrics.get("nfe").asInt()).isEqualTo(1);
    // the loss is ‖g/(‖g‖ + c)‖²/D in value: in (0, 1/D) with D = 2 for any weights
    assertThat(metrics.get("final_loss").asDouble()).isStrictlyBetween(0.0, 0.5);
    for (double v : Npy.read(run.resolve("samples.npy")).data()) {
      assertThat(Double.isFinite(v)).isTrue();
    }
    // two steps on the same run: jump, re-noise to t = 0.5, jump
    Call s = TestRuns.cli("sample", run.toString(), "--set", "sampling.steps=2");
    assertThat(s.code()).as(s.err()).isZero();
  }

  @Test
  void scdDistilsFromATeacherRunOnAnotherSchedule() throws Exception {
    Path teacher = TestRuns.tinyRun(tmp, "teacher");
    String yaml = TestRuns.tinyOnTrigFlow(1.0)
        .replace("objective: test-regression",
            "objective: {name: scd, sigma_data: 1.0, warmup_steps: 10, levels: 8}\nteacher: {run: " + teacher + "}")
        .replace("solver: test-euler, grid: uniform, steps: 8",
            "solver: multistep-consistency, grid: {name: uniform, t_min: 0.25, to_zero: true}, steps: 2");
    Path run = tmp.resolve("scd");
    Call c = TestRuns.cli("run", TestRuns.manifest(tmp, yaml).toString(), "--out", run.toString());
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode metrics = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
    assertThat(metrics.get("nfe").asInt()).isEqualTo(2);
    assertThat(metrics.get("final_loss").asDouble()).isStrictlyBetween(0.0, 0.5);
    for (double v : Npy.read(run.resolve("samples.npy")).data()) {
      assertThat(Double.isFinite(v)).isTrue();
    }
  }
}
