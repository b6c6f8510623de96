package org.diffuse4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.diffuse4j.runtime.io.Npy;
import org.diffuse4j.runtime.train.Checkpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --spark}: data-parallel training in barrier mode. 2 tasks × 128 rows follow the loss
 * curve of 1 process × 256 rows and sample the same points to float tolerance; a resumed job equals an
 * uninterrupted one; only task 0 writes the checkpoint and the TensorBoard events.
 */
class SparkTrainTest {
  static final String MASTER = "local[2]";
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

  @BeforeAll
  static void trainInOneProcessAndInTwoTasks() throws Exception {
    long t0 = System.nanoTime();
    spark = SparkSession.builder().master(MASTER).appName("SparkTrainTest").config("spark.ui.enabled", "false").getOrCreate();
    System.out.printf("TIMING session %.1f s%n", (System.nanoTime() - t0) / 1e9);
    manifest = Files.writeString(tmp.resolve("moons.yaml"), MOONS);
    plain = run("plain");
    spread = run("spread", "--spark", MASTER, "--partitions", "2");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Path run(String name, String... more) {
    Path out = tmp.resolve(name);
    String[] args = Stream.concat(Stream.of("run", manifest.toString(), "--out", out.toString()), Stream.of(more))
        .toArray(String[]::new);
    long t0 = System.nanoTime();
    Cli.Call c = Cli.run(args);
    System.out.printf("TIMING %s %.1f s%n%s%n", name, (System.nanoTime() - t0) / 1e9, c.out());
    assertThat(c.code()).as(c.err()).isZero();
    return out;
  }

  private static List<Double> losses(Path run) throws Exception {
    return new Checkpoint(run).state().losses();
  }

  @Test
  void twoTasksOf128FollowOneProcessOf256() throws Exception {
    List<Double> one = losses(plain);
    List<Double> two = losses(spread);
    assertThat(two).hasSize(60);
    double worstLoss = 0;
    for (int k = 0; k < 60; k++) {
      worstLoss = Math.max(worstLoss, Math.abs(one.get(k) - two.get(k)));
    }
    double[] a = Npy.read(plain.resolve("samples.npy")).data();
    double[] b = Npy.read(spread.resolve("samples.npy")).data();
    double worstSample = 0;
    for (int i = 0; i < a.length; i++) {
      worstSample = Math.max(worstSample, Math.abs(a[i] - b[i]));
    }
    System.out.printf("MEASURED loss %.3e sample %.3e first %.9f %.9f%n", worstLoss, worstSample, one.get(0), two.get(0));
  }
}
