package org.diffuse4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.runtime.train.Checkpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --spark}: data-parallel training in barrier mode. 2 tasks × 128 rows follow the loss
 * curve of 1 process × 256 rows and sample the same points to float tolerance; a resumed job equals an
 * uninterrupted one bitwise, and so does a job whose task failed and that Spark restarted; only task 0 writes the checkpoint and the TensorBoard events.
 */
class SparkTrainTest {
  /** 2 threads, up to 2 attempts per task. */
  static final String MASTER = "local[2,2]";
  /** Two-moons flow matching, 3 × 64 MLP, 60 steps of a global batch of 256; 400 samples. */
  static final String MOONS = """
      data: two-moons
      network: {name: mlp, width: 64, depth: 3, time_embedding: 16}
      schedule: rectified-flow
      parameterisation: velocity
      objective: flow-matching
      training: {steps: 60, batch_size: 256, lr: 0.003, log_every: 20, checkpoint_every: 20}
      sampling: {solver: heun, grid: uniform, steps: 10, n: 400, batch_size: 200}
      seed: 5
      """;
  @TempDir static Path tmp;
  static SparkSession spark;
  static Path manifest;
  static Path plain;
  static Path spread;
  static Cli.Call spreadCall;

  @BeforeAll
  static void trainInOneProcessAndInTwoTasks() throws Exception {
    spark = SparkSession.builder().master(MASTER).appName("SparkTrainTest").config("spark.ui.enabled", "false").getOrCreate();
    manifest = Files.writeString(tmp.resolve("moons.yaml"), MOONS);
    plain = tmp.resolve("plain");
    run(plain);
    spread = tmp.resolve("spread");
    spreadCall = run(spread, "--spark", MASTER, "--partitions", "2");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Cli.Call run(Path out, String... more) {
    String[] args = Stream.concat(Stream.of("run", manifest.toString(), "--out", out.toString()), Stream.of(more))
        .toArray(String[]::new);
    Cli.Call c = Cli.run(args);
    assertThat(c.code()).as(c.err()).isZero();
    return c;
  }

  private static List<Double> losses(Path run) throws Exception {
    return new Checkpoint(run).state().losses();
  }

  @Test
  void twoTasksOf128FollowTheLossCurveAndSamplesOfOneProcessOf256() throws Exception {
    assertThat(spreadCall.out()).contains("spark: 2 tasks of 128 rows of each batch of 256");
    List<Double> one = losses(plain);
    List<Double> two = losses(spread);
    assertThat(two).hasSize(60);
    assertThat(one.get(0) - one.get(59)).as("the curve falls (so following it is not trivial)").isGreaterThan(0.3);
    // Each task's loss and gradients are float32 sums over 128 rows, averaged in double; one process
    // sums 256 rows. Measured here: losses within 2.4e-7 over all 60 steps (one float32 ulp at a loss
    // of ~2 is 2.4e-7), samples within 4.8e-7 after 60 steps; the bounds allow ~40× and ~200× that,
    // still far below the curve's own step-to-step change (~1e-2).
    for (int k = 0; k < 60; k++) {
      assertThat(two.get(k)).as("loss of step %d", k + 1).isCloseTo(one.get(k), org.assertj.core.api.Assertions.within(1e-5));
    }
    double[] a = Npy.read(plain.resolve("samples.npy")).data();
    double[] b = Npy.read(spread.resolve("samples.npy")).data();
    assertThat(b).hasSameSizeAs(a);
    for (int i = 0; i < a.length; i++) {
      assertThat(b[i]).as("sample value %d", i).isCloseTo(a[i], org.assertj.core.api.Assertions.within(1e-4));
    }
  }

  @Test
  void aResumedJobEqualsAnUninterruptedOneBitwise() throws Exception {
    Path resumed = tmp.resolve("resumed");
    run(resumed, "--spark", MASTER, "--partitions", "2", "--set", "training.steps=30");
    assertThat(losses(resumed)).hasSize(30);
    Cli.Call again = run(resumed, "--spark", MASTER, "--partitions", "2", "--resume");
    assertThat(again.out()).contains("resumed from").contains("at step 30");
    // every input is a function of (seed, step) and the checkpoint holds the weights and Adam's moments
    assertThat(losses(resumed)).isEqualTo(losses(spread));
    assertThat(Files.readAllBytes(resumed.resolve("samples.npy"))).isEqualTo(Files.readAllBytes(spread.resolve("samples.npy")));
  }

  @Test
  void aFailedTaskRestartsTheStageFromTheCheckpointWithTheSameResult() throws Exception {
    Path retried = tmp.resolve("retried");
    System.setProperty(TrainShard.FAIL_FIRST_ATTEMPT, "1:25"); // task 1 fails in step 25, after the checkpoint of step 20
    Cli.Call c;
    try {
      c = run(retried, "--spark", MASTER, "--partitions", "2");
    } finally {
      System.clearProperty(TrainShard.FAIL_FIRST_ATTEMPT);
    }
    assertThat(c.out()).contains("resumed from").contains("at step 20");
    assertThat(losses(retried)).isEqualTo(losses(spread));
    assertThat(Files.readAllBytes(retried.resolve("samples.npy"))).isEqualTo(Files.readAllBytes(spread.resolve("samples.npy")));
  }

  @Test
  void onlyOneTaskWritesTheCheckpointAndTheLog() throws Exception {
    try (Stream<Path> files = Files.list(spread)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("checkpoint")))
          .as("one checkpoint, no staging folder left").containsExactly("checkpoint");
    }
    assertThat(new Checkpoint(spread).verify()).isTrue();
    assertThat(new Checkpoint(spread).state().step()).isEqualTo(60);
    try (Stream<Path> events = Files.list(spread.resolve("tensorboard"))) {
      assertThat(events.count()).as("one TensorBoard event file").isEqualTo(1);
    }
    String log = Files.readString(spread.resolve("run.log"));
    assertThat(log.split("step 20/60 loss", -1)).as("each log line once").hasSize(2);
  }

  @Test
  void aTaskCountThatDoesNotDivideTheBatchIsRefusedBeforeAnythingIsWritten() {
    Path out = tmp.resolve("three");
    Cli.Call c = Cli.run("run", manifest.toString(), "--out", out.toString(), "--spark", MASTER, "--partitions", "3");
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err()).contains("--partitions 3 does not divide training.batch_size 256");
    assertThat(out).doesNotExist();
  }
}
