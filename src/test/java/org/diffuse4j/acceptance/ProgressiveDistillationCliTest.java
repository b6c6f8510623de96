package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffuse4j.api.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progressive distillation through the CLI: a round from the analytic mixture (student from scratch,
 * {@code init: false}), then a round from that run, which asks for the teacher and its weights to
 * start from together ({@code TEACHER} and {@code INIT}); a student sampled off its training grid is
 * refused; and the errors validate names.
 */
class ProgressiveDistillationCliTest {
  private static final String TEACHER = """
      data: gmm
      network: gmm
      schedule: rectified-flow
      parameterisation: velocity
      sampling: {solver: ddim, grid: uniform, steps: 8, n: 100, batch_size: 100}
      """;

  private static final String ROUND = """
      data: gmm
      network: {name: mlp, width: 32, depth: 2, time_embedding: 8}
      schedule: rectified-flow
      parameterisation: velocity
      objective: {name: progressive-distillation, student_steps: %d, init: %s}
      teacher: {run: '%s', solver: ddim}
      training: {steps: %d, batch_size: 64, lr: %s, ema: 0.9, log_every: 10}
      sampling: {solver: ddim, grid: uniform, steps: %d, n: 200, batch_size: 200}
      seed: 1
      """;

  @TempDir Path tmp;

  private Path write(String name, String yaml) throws Exception {
    return Files.writeString(tmp.resolve(name), yaml);
  }

  @Test
  void distilsTwoRoundsAndTheSecondStartsAtTheFirstsWeights() throws Exception {
    Path teacher = tmp.resolve("teacher");
    Cli c = Cli.run("run", write("teacher.yaml", TEACHER).toString(), "--out", teacher.toString());
    assertThat(c.code()).as(c.err()).isZero();
    Path round1 = tmp.resolve("pd4");
    c = Cli.run("run", write("pd4.yaml", ROUND.formatted(4, false, teacher, 20, 0.001, 4)).toString(), "--out", round1.toString());
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode m = new ObjectMapper().readTree(round1.resolve("metrics.json").toFile());
    assertThat(m.get("final_loss").asDouble()).isFinite().isPositive();
    assertThat(m.get("nfe").asInt()).isEqualTo(4);
    assertThat(m.get("sliced_wasserstein").asDouble()).isFinite();
    // the 4-step student samples on its own grid only: sample refuses 2 steps and names the fix
    Cli off = Cli.run("sample", round1.toString(), "--set", "sampling.steps=2");
    assertThat(off.code()).isNotZero();
    assertThat(off.err()).contains("trains a student for 4 steps", "--set sampling.steps=4");
    assertThat(round1.resolve("samples")).doesNotExist();
    // round 2 at lr 1e-9 for one step: the student stays at round 1's weights (INIT) while the teacher (round 1) is built beside it,
    // so its 4-step DDIM samples are round 1's (it keeps round 1's 4 steps: a student samples on its own grid only, and the
    // samples are compared on the same grid)
    Path round2 = tmp.resolve("pd4b");
    c = Cli.run("run", write("pd4b.yaml", ROUND.formatted(4, true, round1, 1, 1e-9, 4)).toString(), "--out", round2.toString());
    assertThat(c.code()).as(c.err()).isZero();
    double[] before = Npy.read(round1.resolve("samples.npy")).data();
    double[] after = Npy.read(round2.resolve("samples.npy")).data();
    assertThat(after).hasSameSizeAs(before);
    for (int i = 0; i < before.length; i++) {
      assertThat(after[i]).isCloseTo(before[i], within(1e-5 * (1 + Math.abs(before[i]))));
    }
  }

  @Test
  void validateNamesWhatIsMissingOrWrong() throws Exception {
    String noTeacher = ROUND.formatted(4, false, "x", 30, 0.001, 4).replaceAll("teacher: \\{[^\\n]*\\n", "");
    Cli c = Cli.run("validate", write("no-teacher.yaml", noTeacher).toString());
    assertThat(c.code()).isNotZero();
    assertThat(c.err()).contains("distils from a teacher", "teacher: {run: DIR}");
    Cli w = Cli.run("validate", write("weight.yaml", ROUND.formatted(4, false, "x", 30, 0.001, 4)
        .replace("init: false", "init: false, weight: min-snr")).toString());
    assertThat(w.code()).isNotZero();
    assertThat(w.err()).contains("truncated-snr, snr+1, none");
  }
}
