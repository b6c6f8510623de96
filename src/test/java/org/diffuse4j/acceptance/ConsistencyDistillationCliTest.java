package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objectives with more than one network through the CLI: consistency distillation from a teacher run
 * (the analytic mixture, nothing to train) with the EMA target, and the manifest errors validate names.
 */
class ConsistencyDistillationCliTest {
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
      schedule: edm
      parameterisation: edm
      objective: {name: consistency-distillation, levels: 6}
      teacher: {run: '%s', solver: heun}
      training: {steps: 20, batch_size: 64, lr: 0.001, ema: 0.9, log_every: 10}
      sampling: {solver: multistep-consistency, grid: {name: karras, sigma_min: 0.5, to_zero: true}, steps: 1, n: 200, batch_size: 200}
      seed: 1
      """;

  @TempDir static Path shared;
  @TempDir Path tmp;
  static Path teacher;

  @BeforeAll
  static void teacherRun() throws Exception {
    teacher = shared.resolve("teacher");
    Cli c = Cli.run("run", Files.writeString(shared.resolve("teacher.yaml"), TEACHER).toString(), "--out", teacher.toString());
    assertThat(c.code()).as(c.err()).isZero();
  }

  private Path student(String yaml) throws Exception {
    return Files.writeString(tmp.resolve("student.yaml"), yaml);
  }

  @Test
  void distilsFromATeacherRunWithTheEmaTarget() throws Exception {
    Path out = tmp.resolve("cd");
    Cli c = Cli.run("run", student(STUDENT.formatted(teacher)).toString(), "--out", out.toString());
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertThat(m.get("final_loss").asDouble()).isFinite().isPositive();
    assertThat(m.get("ema_weights").asBoolean()).isTrue();
    assertThat(m.get("sliced_wasserstein").asDouble()).isFinite();
    assertThat(Files.readString(out.resolve("manifest.yaml"))).contains("teacher:", teacher.toString());
  }

  @Test
  void validateNamesWhatIsMissingOrWrong() throws Exception {
    String ok = STUDENT.formatted(teacher);
    expect(ok.replaceAll("teacher: \\{[^\\n]*\\n", ""), "distils from a teacher", "teacher: {run: DIR}");
    expect(ok.replace(teacher.toString(), tmp.resolve("nowhere").toString()), "is not a run folder", "./diffuse4j run");
    expect(ok.replace("ema: 0.9", "ema: 0"), "training.ema");
    expect(ok.replace("{name: consistency-distillation, levels: 6}", "flow-matching"), "uses no teacher");
    expect(ok.replace("{name: consistency-distillation, levels: 6}", "ect").replaceAll("teacher: \\{[^\\n]*\\n", ""),
        "tunes a trained run", "teacher: {run: DIR}");
    // a teacher folder on 3-d data (an analytic teacher needs only its manifest.yaml)
    Path wide = Files.createDirectories(tmp.resolve("wide"));
    String gmm3 = "{name: gmm, preset: custom, dim: 3, means: [0, 0, 0], stds: [1], weights: [1]}";
    Files.writeString(wide.resolve("manifest.yaml"), TEACHER.replace("data: gmm", "data: " + gmm3)
        .replace("network: gmm", "network: " + gmm3));
    expect(STUDENT.formatted(wide), "3 values per row", "this run's data has 2");
  }

  private void expect(String yaml, String... fragments) throws Exception {
    Cli c = Cli.run("validate", student(yaml).toString());
    assertThat(c.code()).as(c.out()).isNotZero();
    assertThat(c.err()).contains(fragments);
  }
}
