package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PeRFlow through the CLI: a tiny student distilled from a teacher run (the analytic mixture, nothing
 * to train) and sampled with one Euler step per window; validate names a missing teacher.
 */
class PerFlowCliTest {
  private static final String TEACHER = """
      data: gmm
      network: gmm
      schedule: rectified-flow
      parameterisation: velocity
      sampling: {solver: heun, grid: uniform, steps: 2, n: 100, batch_size: 100}
      """;

  private static final String STUDENT = """
      data: gmm
      network: {name: mlp, width: 32, depth: 2, time_embedding: 8}
      schedule: rectified-flow
      parameterisation: velocity
      objective: {name: perflow, windows: 2, teacher_steps: 2, init: false}
      teacher: {run: '%s', solver: heun}
      training: {steps: 20, batch_size: 64, lr: 0.001, log_every: 10}
      sampling: {solver: euler, grid: uniform, steps: 2, n: 200, batch_size: 200}
      seed: 1
      """;

  @TempDir Path tmp;

  @Test
  void distilsFromATeacherRunAndSamplesOneStepPerWindow() throws Exception {
    Path teacher = tmp.resolve("teacher");
    Cli t = Cli.run("run", Files.writeString(tmp.resolve("teacher.yaml"), TEACHER).toString(), "--out", teacher.toString());
    assertThat(t.code()).as(t.err()).isZero();
    Path out = tmp.resolve("perflow");
    Path student = Files.writeString(tmp.resolve("student.yaml"), STUDENT.formatted(teacher));
    Cli c = Cli.run("run", student.toString(), "--out", out.toString());
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertThat(m.get("final_loss").asDouble()).isFinite().isPositive();
    assertThat(m.get("sliced_wasserstein").asDouble()).isFinite();
    assertThat(Files.readString(out.resolve("manifest.yaml"))).contains("perflow", teacher.toString());

    Path alone = Files.writeString(tmp.resolve("alone.yaml"), STUDENT.formatted(teacher).replaceAll("teacher: \\{[^\\n]*\\n", ""));
    Cli v = Cli.run("validate", alone.toString());
    assertThat(v.code()).isNotZero();
    assertThat(v.err()).contains("distils from a teacher", "teacher: {run: DIR}");
  }
}
