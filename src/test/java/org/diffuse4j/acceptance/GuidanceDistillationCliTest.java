package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffuse4j.api.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guidance distillation through the CLI (a tiny 8-gaussians-gd.yaml): a class-conditional CFG teacher,
 * then a student that reads w, sampled with {@code distilled} at half the teacher's NFE; and the mixes
 * validate refuses (cfg on a student, distilled on an ordinary network, a student network without the
 * input), each naming the fix; then stage two, a progressive-distillation round of the student that reads
 * w with its w-reading teacher, and the mixes of stage two that validate refuses (and a w-reading teacher given guidance that feeds no w).
 */
class GuidanceDistillationCliTest {
  private static final String TEACHER = """
      data: 8-gaussians
      network: {name: mlp, width: 32, depth: 2, time_embedding: 8, num_classes: 8}
      schedule: rectified-flow
      parameterisation: velocity
      objective: {name: flow-matching, p_uncond: 0.2}
      training: {steps: 60, batch_size: 128, lr: 0.003, log_every: 30}
      guidance: {name: cfg, scale: 3}
      sampling: {solver: euler, grid: uniform, steps: 4, n: 200, batch_size: 200, label: all}
      seed: 1
      """;

  private static final String STUDENT = """
      data: 8-gaussians
      network: {name: mlp, width: 32, depth: 2, time_embedding: 8, num_classes: 8, guidance_input: %s}
      schedule: rectified-flow
      parameterisation: velocity
      objective: {name: guidance-distillation, w_min: 1, w_max: 5}
      teacher: {run: '%s'}
      training: {steps: 30, batch_size: 128, lr: 0.003, log_every: 30}
      guidance: %s
      sampling: {solver: euler, grid: uniform, steps: 4, n: 200, batch_size: 200, label: all}
      seed: 1
      """;

  /** Stage two: progressive distillation of a w-reading run (teacher and student both read each row's w). */
  private static final String ROUND = """
      data: 8-gaussians
      network: {name: mlp, width: 32, depth: 2, time_embedding: 8, num_classes: 8, guidance_input: true}
      schedule: rectified-flow
      parameterisation: velocity
      objective: {name: progressive-distillation, student_steps: 2, %s}
      teacher: {run: '%s', solver: ddim}
      training: {steps: 20, batch_size: 128, lr: 0.001, log_every: 20}
      guidance: {name: distilled, scale: 3}
      sampling: {solver: ddim, grid: uniform, steps: 2, n: 200, batch_size: 200, label: all}
      seed: 1
      """;

  @TempDir Path tmp;

  private Path write(String name, String yaml) throws Exception {
    return Files.writeString(tmp.resolve(name), yaml);
  }

  private static JsonNode metrics(Path run) throws Exception {
    return new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
  }

  @Test
  void aStudentOfACfgTeacherSamplesWithOneEvaluationPerCall() throws Exception {
    Path teacher = tmp.resolve("teacher");
    Cli c = Cli.run("run", write("teacher.yaml", TEACHER).toString(), "--out", teacher.toString());
    assertThat(c.code()).as(c.err()).isZero();
    Path student = tmp.resolve("student");
    c = Cli.run("run", write("student.yaml", STUDENT.formatted(true, teacher, "{name: distilled, scale: 3}")).toString(),
        "--out", student.toString());
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(metrics(teacher).get("nfe").asInt()).isEqualTo(8); // 4 Euler steps × 2 (cfg)
    assertThat(metrics(student).get("nfe").asInt()).isEqualTo(4); // 4 Euler steps × 1 (distilled)
    assertThat(metrics(student).get("final_loss").asDouble()).isFinite().isPositive();
    double[] xs = Npy.read(student.resolve("samples.npy")).data();
    assertThat(xs).hasSize(400);
    assertThat(java.util.Arrays.stream(xs).allMatch(Double::isFinite)).isTrue();
    // another scale is another sample from the same noise: the student reads w
    c = Cli.run("sample", student.toString(), "--set", "guidance.scale=1", "--out", tmp.resolve("w1").toString());
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(Npy.read(tmp.resolve("w1").resolve("samples.npy")).data()).isNotEqualTo(xs);
    // stage two: a 2-step w-reading student of the w-reading student, one evaluation per step
    Path round = tmp.resolve("round");
    c = Cli.run("run", write("round.yaml", ROUND.formatted("w_min: 1, w_max: 5", student)).toString(), "--out", round.toString());
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(metrics(round).get("nfe").asInt()).isEqualTo(2);
    assertThat(metrics(round).get("final_loss").asDouble()).isFinite().isPositive();
    c = Cli.run("sample", round.toString(), "--set", "guidance.scale=1", "--out", tmp.resolve("r1").toString());
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(Npy.read(tmp.resolve("r1").resolve("samples.npy")).data())
        .isNotEqualTo(Npy.read(round.resolve("samples.npy")).data());
    // the mixes stage two refuses: a w-student without w, a CFG teacher stepped at w, a w-teacher for stage one
    Cli noW = Cli.run("validate", write("no-w.yaml", ROUND.formatted("weight: none", student)).toString());
    assertThat(noW.code()).isNotZero();
    assertThat(noW.err()).contains("feeds it none", "w_max >= 0");
    Cli cfgTeacher = Cli.run("validate", write("cfg-teacher.yaml", ROUND.formatted("w_max: 5", teacher)).toString());
    assertThat(cfgTeacher.code()).isNotZero();
    assertThat(cfgTeacher.err()).contains("the teacher does not read w", "objective: guidance-distillation");
    Cli wTeacher = Cli.run("validate", write("w-teacher.yaml", STUDENT.formatted(true, student, "{name: distilled, scale: 3}"))
        .toString());
    assertThat(wTeacher.code()).isNotZero();
    assertThat(wTeacher.err()).contains("reads the guidance scale w itself", "progressive-distillation");
    Cli unfed = Cli.run("validate", write("unfed.yaml", ROUND.formatted("w_max: 5", student)
        .replace("solver: ddim}", "solver: ddim, guidance: none}")).toString());
    assertThat(unfed.code()).isNotZero();
    assertThat(unfed.err()).contains("does not feed w", "teacher.guidance: run");
  }

  @Test
  void aStudentStartedAtTheTeachersWeightsIsTheConditionalTeacher() throws Exception {
    Path teacher = tmp.resolve("teacher");
    Cli c = Cli.run("run", write("teacher.yaml", TEACHER).toString(), "--out", teacher.toString());
    assertThat(c.code()).as(c.err()).isZero();
    // the conditional teacher: cfg at w = 1 is x0_c
    c = Cli.run("sample", teacher.toString(), "--set", "guidance.scale=1", "--out", tmp.resolve("cond").toString());
    assertThat(c.code()).as(c.err()).isZero();
    double[] conditional = Npy.read(tmp.resolve("cond").resolve("samples.npy")).data();
    // one step at a vanishing learning rate: the student is its starting point
    String frozen = STUDENT.formatted(true, teacher, "{name: distilled, scale: 1}")
        .replace("training: {steps: 30, batch_size: 128, lr: 0.003, log_every: 30}",
            "training: {steps: 1, batch_size: 128, lr: 1.0e-12, warmup: 0, log_every: 1}");
    Path started = tmp.resolve("started");
    c = Cli.run("run", write("started.yaml", frozen.replace("w_max: 5}", "w_max: 5, init: true}")).toString(),
        "--out", started.toString());
    assertThat(c.code()).as(c.err()).isZero();
    double[] xs = Npy.read(started.resolve("samples.npy")).data();
    assertThat(xs).hasSameSizeAs(conditional);
    for (int i = 0; i < xs.length; i++) {
      assertThat(xs[i]).as("sample value %d", i).isCloseTo(conditional[i], org.assertj.core.data.Offset.offset(1e-6));
    }
    // the w features add nothing yet: another w gives the same samples
    c = Cli.run("sample", started.toString(), "--set", "guidance.scale=4", "--out", tmp.resolve("w4").toString());
    assertThat(c.code()).as(c.err()).isZero();
    double[] w4 = Npy.read(tmp.resolve("w4").resolve("samples.npy")).data();
    for (int i = 0; i < xs.length; i++) {
      assertThat(w4[i]).as("sample value %d at w = 4", i).isCloseTo(xs[i], org.assertj.core.data.Offset.offset(1e-6));
    }
    // from its own initialisation the same run is far from the teacher
    Path fresh = tmp.resolve("fresh");
    c = Cli.run("run", write("fresh.yaml", frozen).toString(), "--out", fresh.toString());
    assertThat(c.code()).as(c.err()).isZero();
    double[] own = Npy.read(fresh.resolve("samples.npy")).data();
    double far = 0;
    for (int i = 0; i < own.length; i++) {
      far = Math.max(far, Math.abs(own[i] - conditional[i]));
    }
    assertThat(far).isGreaterThan(0.1);
  }

  @Test
  void validateRefusesTheMixesThatWouldBeWrong() throws Exception {
    // an analytic teacher (the gmm denoiser needs no checkpoint): a run folder is its manifest
    Path gmm = Files.createDirectories(tmp.resolve("gmm"));
    Files.writeString(gmm.resolve("manifest.yaml"), "data: gmm\nnetwork: gmm\nschedule: rectified-flow\nparameterisation: velocity\n");
    Cli cfg = Cli.run("validate", write("cfg.yaml", STUDENT.formatted(true, gmm, "{name: cfg, scale: 3}")).toString());
    assertThat(cfg.code()).isNotZero();
    assertThat(cfg.err()).contains("reads the guidance scale", "already guided", "name: distilled");
    Cli plain = Cli.run("validate", write("plain.yaml", TEACHER.replace("{name: cfg, scale: 3}", "{name: distilled, scale: 3}"))
        .toString());
    assertThat(plain.code()).isNotZero();
    assertThat(plain.err()).contains("does not read it", "guidance_input: true");
    Cli noInput = Cli.run("validate", write("no-input.yaml", STUDENT.formatted(false, gmm, "{name: distilled, scale: 3}"))
        .toString());
    assertThat(noInput.code()).isNotZero();
    assertThat(noInput.err()).contains("feeds the student the guidance scale", "network.guidance_input: true");
  }
}
