package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.diffuse4j.api.io.AtomicFiles;
import org.diffuse4j.runtime.train.Checkpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A checkpoint write that is cut short never costs the previous checkpoint: a child JVM training
 * with a checkpoint every step is killed with SIGKILL several times, and every interrupted state of
 * the staging swap is rebuilt by hand; each time the run resumes from an intact checkpoint and ends
 * bit-identical to an uninterrupted run.
 */
class CheckpointKillTest {
  private static final int STEPS = 300;
  @TempDir static Path work;
  private static Path manifest;
  private static Path whole;
  private static Path half;

  @BeforeAll
  static void trainReferences() throws IOException {
    manifest = work.resolve("tiny.yaml");
    Files.writeString(manifest, CheckpointFuzzTest.TINY.replace("steps: 50,", "steps: " + STEPS + ","));
    whole = work.resolve("whole");
    half = work.resolve("half");
    Cli w = Cli.run("run", manifest.toString(), "--out", whole.toString());
    assertThat(w.code()).as(w.err()).isZero();
    Cli h = Cli.run("run", manifest.toString(), "--out", half.toString(), "--set", "training.steps=50");
    assertThat(h.code()).as(h.err()).isZero();
  }

  /** Resumes {@code run} to the end in-process and asserts it equals the uninterrupted run bit for bit. */
  private static Cli resumeAndCompare(Path run) throws IOException {
    Cli c = Cli.run("run", manifest.toString(), "--out", run.toString(), "--resume");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(Files.readString(run.resolve("checkpoint/state.json")))
        .isEqualTo(Files.readString(whole.resolve("checkpoint/state.json")));
    assertThat(Files.readAllBytes(run.resolve("samples.npy"))).isEqualTo(Files.readAllBytes(whole.resolve("samples.npy")));
    return c;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    CheckpointFuzzTest.copyOfRun(from, to);
  }

  /** How a swap was interrupted: builds that state in a copy of the 50-step run; the step resumed from. */
  @FunctionalInterface
  interface Stage {
    void build(Path run) throws IOException;
  }

  static Stream<Arguments> stages() {
    return Stream.of(
        Arguments.of("staging half written", (Stage) run -> {
          Files.createDirectories(run.resolve("checkpoint.staging"));
          Files.copy(whole.resolve("checkpoint/variables.index"), run.resolve("checkpoint.staging/variables.index"));
        }, 50),
        Arguments.of("staging written, no state.json yet", (Stage) run -> {
          copyTree(whole.resolve("checkpoint"), run.resolve("checkpoint.staging"));
          Files.delete(run.resolve("checkpoint.staging/state.json"));
        }, 50),
        Arguments.of("old moved aside, staging not yet moved in", (Stage) run -> {
          Files.move(run.resolve("checkpoint"), run.resolve("checkpoint.old"), StandardCopyOption.ATOMIC_MOVE);
          copyTree(whole.resolve("checkpoint"), run.resolve("checkpoint.staging"));
        }, 50),
        Arguments.of("new moved in, old not yet deleted", (Stage) run -> {
          Files.move(run.resolve("checkpoint"), run.resolve("checkpoint.old"), StandardCopyOption.ATOMIC_MOVE);
          copyTree(whole.resolve("checkpoint"), run.resolve("checkpoint"));
        }, STEPS),
        Arguments.of("new moved in, old half deleted", (Stage) run -> {
          Files.move(run.resolve("checkpoint"), run.resolve("checkpoint.old"), StandardCopyOption.ATOMIC_MOVE);
          copyTree(whole.resolve("checkpoint"), run.resolve("checkpoint"));
          Files.delete(run.resolve("checkpoint.old/variables.index"));
          Files.delete(run.resolve("checkpoint.old/state.json"));
        }, STEPS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stages")
  void anInterruptedSwapResumesFromAnIntactCheckpoint(String name, Stage stage, int resumedAt) throws IOException {
    Path run = work.resolve("stage-" + name.replace(' ', '-').replace(",", ""));
    copyTree(half, run);
    stage.build(run);
    Cli c = resumeAndCompare(run);
    assertThat(c.out()).contains("at step " + resumedAt);
    assertThat(run.resolve("checkpoint.old")).doesNotExist();
  }

  /** The step of the run's checkpoint as it is being written by another process (-1 while there is none or it is mid-swap). */
  private static int step(Path run) {
    try {
      Checkpoint c = new Checkpoint(run);
      return c.exists() ? c.state().step() : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  @Test
  void killingTheTrainingJvmMidCheckpointKeepsAResumableCheckpoint() throws Exception {
    Path run = work.resolve("killed");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    int midWrite = 0;
    // kill once the checkpoint reaches each target step (progress, not wall time, so a fast machine
    // cannot finish first), a few milliseconds later so the kill lands inside the next save
    int[] targets = {20, 70, 130, 190, 250};
    for (int i = 0; i < targets.length; i++) {
      List<String> cmd = new ArrayList<>(List.of(java, "-cp", cp, "org.diffuse4j.cli.Main", "run", manifest.toString(),
          "--out", run.toString(), "--set", "training.checkpoint_every=1"));
      if (i > 0) {
        cmd.add("--resume");
      }
      Path log = work.resolve("child-" + i + ".log");
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (p.isAlive() && step(run) < targets[i] && System.nanoTime() < deadline) {
          Thread.sleep(2);
        }
        assertThat(p.isAlive()).as("child %d still training (log: %s)", i, Files.readString(log)).isTrue();
        Thread.sleep(i * 3L);
      } finally {
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
        p.waitFor();
      }
      if (Files.exists(run.resolve("checkpoint.staging")) || Files.exists(run.resolve("checkpoint.old"))) {
        midWrite++;
      }
      // what the next command does first: finish or undo the swap, then the checkpoint must verify
      AtomicFiles.recoverDirectory(run.resolve("checkpoint"));
      Checkpoint checkpoint = new Checkpoint(run);
      assertThat(checkpoint.verify()).as("kill %d: the checkpoint has its record and matches it", i).isTrue();
      // under load the child may reach the last step before the kill lands; the checkpoint must still be whole
      assertThat(checkpoint.state().step()).isBetween(targets[i], STEPS);
    }
    System.out.printf("kill -9 during checkpointing: %d of %d kills left a staging or .old folder%n", midWrite, targets.length);
    resumeAndCompare(run);
  }
}
