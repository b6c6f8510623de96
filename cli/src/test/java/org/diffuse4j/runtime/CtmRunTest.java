package org.diffuse4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.runtime.TestRuns.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CTM (objective and parameterisation {@code ctm}) end to end: distilled from an analytic teacher run
 * (the mixture, nothing to train) into a two-time MLP with the EMA target, sampled with one and two
 * flow-map jumps and with γ-sampling (the tcd sampler).
 */
class CtmRunTest {
  private static final String TEACHER = """
      data: gmm
      network: gmm
      schedule: rectified-flow
      parameterisation: velocity
      sampling: {solver: heun, grid: uniform, steps: 2, n: 100, batch_size: 100}
      """;

  private static final String STUDENT = """
      data: gmm
      network: {name: mlp, width: 32, depth: 2, time_embedding: 8, time_scale: 10, times: 2}
      schedule: rectified-flow
      parameterisation: ctm
      objective: {name: ctm, levels: 6, sigma_max: 100}
      teacher: {run: '%s', solver: heun}
      training: {steps: 20, batch_size: 64, lr: 0.001, ema: 0.9, log_every: 10}
      sampling: {solver: flow-map, grid: uniform, steps: 1, n: 200, batch_size: 200}
      seed: 1
      """;

  @TempDir Path tmp;

  @Test
  void distilsATwoTimeNetworkFromATeacherRunAndSamplesInOneStep() throws Exception {
    Path teacher = tmp.resolve("teacher");
    Call t = TestRuns.cli("run", Files.writeString(tmp.resolve("teacher.yaml"), TEACHER).toString(), "--out", teacher.toString());
    assertThat(t.code()).as(t.err()).isZero();
    Path run = tmp.resolve("ctm");
    Call c = TestRuns.cli("run", Files.writeString(tmp.resolve("ctm.yaml"), STUDENT.formatted(teacher)).toString(),
        "--out", run.toString());
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode m = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
    assertThat(m.get("final_loss").asDouble()).isFinite().isPositive();
    assertThat(m.get("ema_weights").asBoolean()).isTrue();
    assertThat(m.get("nfe").asInt()).isEqualTo(1);
    for (double v : Npy.read(run.resolve("samples.npy")).data()) {
      assertThat(Double.isFinite(v)).isTrue();
    }
    for (String[] k : new String[][] {{"flow-map", "2"}, {"tcd", "2"}}) {
      Call s = TestRuns.cli("sample", run.toString(), "--set", "sampling.solver=" + k[0], "--set", "sampling.steps=" + k[1]);
      assertThat(s.code()).as(k[0] + ": " + s.err()).isZero();
      assertThat(Npy.read(run.resolve("samples/" + k[0] + "-uniform-" + k[1] + "/samples.npy")).data()).hasSize(400);
    }
  }

  @Test
  void ctmNeedsItsFlowMapParameterisation() throws Exception {
    Path teacher = tmp.resolve("teacher");
    Files.createDirectories(teacher);
    Files.writeString(teacher.resolve("manifest.yaml"), TEACHER);
    String wrong = STUDENT.formatted(teacher).replace("parameterisation: ctm", "parameterisation: velocity");
    Call c = TestRuns.cli("validate", Files.writeString(tmp.resolve("bad.yaml"), wrong).toString());
    assertThat(c.code()).isNotZero();
    assertThat(c.err()).contains("objective 'ctm' trains a flow map G(x, s, t)");
  }
}
