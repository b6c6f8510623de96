package org.diffuse4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.data.FashionMnist;
import org.diffuse4j.runtime.eval.ClassifierCache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sample --spark}: the same bits as one process whatever the partition count, through a task
 * failure and its retry, and a rerun that never leaves a half-written folder; {@code likelihood
 * --spark}: the summary combined from the tasks' moments equals one process's; {@code encode --spark}:
 * the same latents; {@code evaluate --spark}: the same Fréchet distance and accuracies; {@code reflow --spark}:
 * the same pairs, through a retry. One Spark session
 * (2 threads, up to 3 attempts per task) and one trained run for the class.
 */
class SparkCommandsTest {
  static final String MASTER = "local[2,3]";
  @TempDir static Path tmp;
  static SparkSession spark;
  static Path run;

  @BeforeAll
  static void startSparkAndTrain() throws Exception {
    spark = SparkSession.builder().master(MASTER).appName("SparkCommandsTest").config("spark.ui.enabled", "false").getOrCreate();
    run = Cli.trained(tmp);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Cli.Call sample(Path out, String... more) {
    String[] args = Stream.concat(Stream.of("sample", run.toString(), "--out", out.toString()), Stream.of(more))
        .toArray(String[]::new);
    Cli.Call c = Cli.run(args);
    assertThat(c.code()).as(c.err()).isZero();
    return c;
  }

  @Test
  void givesTheBitsOfOneProcessForOneTwoAndThreePartitions() throws Exception {
    // euler-maruyama feeds fresh noise at every step: the counter-based noise of each row is checked too
    String solver = "sampling.solver=euler-maruyama";
    Path local = tmp.resolve("local");
    sample(local, "--set", solver);
    byte[] expected = Files.readAllBytes(local.resolve("samples.npy"));
    double[] values = Npy.read(local.resolve("samples.npy")).data();
    for (int p = 1; p <= 3; p++) {
      Path out = tmp.resolve("spark-" + p);
      Cli.Call c = sample(out, "--set", solver, "--spark", MASTER, "--partitions", String.valueOf(p));
      assertThat(c.out()).contains("7 chunks of 40 rows in " + p + " tasks");
      assertThat(Files.readAllBytes(out.resolve("samples.npy"))).as("%d partitions", p).isEqualTo(expected);
      assertThat(metric(out, "sliced_wasserstein")).as("computed from the same doubles").isEqualTo(metric(local, "sliced_wasserstein"));
      assertThat(out.resolve("samples.png")).isRegularFile();
      List<Row> rows = spark.read().parquet(out.resolve("samples.parquet").toString()).orderBy("index").collectAsList();
      assertThat(rows).hasSize(250);
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        assertThat(r.getLong(0)).isEqualTo(i);
        assertThat(r.getInt(1)).as("unconditional").isEqualTo(-1);
        List<Double> v = r.getList(2);
        assertThat((float) (double) v.get(0)).isEqualTo((float) values[2 * i]);
        assertThat((float) (double) v.get(1)).isEqualTo((float) values[2 * i + 1]);
      }
    }
  }

  @Test
  void aRetriedTaskGivesTheSameOutputAndARerunReplacesTheFolderWhole() throws Exception {
    Path local = tmp.resolve("local-heun");
    sample(local);
    Path out = tmp.resolve("retried");
    System.setProperty(SampleShard.FAIL_FIRST_ATTEMPT, "1");
    Cli.Call c;
    try {
      c = sample(out, "--spark", MASTER, "--partitions", "3");
    } finally {
      System.clearProperty(SampleShard.FAIL_FIRST_ATTEMPT);
    }
    assertThat(Files.readAllBytes(out.resolve("samples.npy"))).isEqualTo(Files.readAllBytes(local.resolve("samples.npy")));
    assertThat(spark.read().parquet(out.resolve("samples.parquet").toString()).select("index").distinct().count())
        .as("no row of the failed attempt is left twice").isEqualTo(250);
    assertThat(spark.read().parquet(out.resolve("samples.parquet").toString()).count()).isEqualTo(250);

    byte[] before = Files.readAllBytes(out.resolve("samples.npy"));
    Cli.Call refused = Cli.run("sample", run.toString(), "--out", out.toString(), "--spark", MASTER);
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("--force");
    assertThat(Files.readAllBytes(out.resolve("samples.npy"))).isEqualTo(before);

    Cli.Call again = sample(out, "--spark", MASTER, "--partitions", "2", "--force");
    assertThat(again.out()).contains("moved the previous");
    assertThat(Files.readAllBytes(out.resolve("samples.npy"))).isEqualTo(before);
    try (Stream<Path> siblings = Files.list(tmp)) {
      assertThat(siblings.map(p -> p.getFileName().toString())).as("no staging folder is left")
          .noneMatch(name -> name.contains(".partial-"))
          .anyMatch(name -> name.startsWith("retried.replaced-"));
    }
  }

  @Test
  void reflowPairsAreTheBitsOfOneProcessForTwoAndThreePartitionsThroughARetry() throws Exception {
    Path local = tmp.resolve("pairs-local");
    JsonNode one = reflow(local);
    byte[] x0 = Files.readAllBytes(local.resolve("x0.npy"));
    byte[] noise = Files.readAllBytes(local.resolve("noise.npy"));
    for (int p = 2; p <= 3; p++) { // one partition: the sample test above
      Path out = tmp.resolve("pairs-spark-" + p);
      if (p == 3) { // partition 1 fails half-way through its rows on its first attempt; Spark retries it
        System.setProperty(SampleShard.FAIL_FIRST_ATTEMPT, "1");
      }
      JsonNode spread;
      try {
        spread = reflow(out, "--spark", MASTER, "--partitions", String.valueOf(p));
      } finally {
        System.clearProperty(SampleShard.FAIL_FIRST_ATTEMPT);
      }
      assertThat(Files.readAllBytes(out.resolve("x0.npy"))).as("x0, %d partitions", p).isEqualTo(x0);
      assertThat(Files.readAllBytes(out.resolve("noise.npy"))).as("noise, %d partitions", p).isEqualTo(noise);
      // computed from the same doubles in the same order as one process: exactly equal
      assertThat(spread.get("transport_cost").asDouble()).isEqualTo(one.get("transport_cost").asDouble());
      assertThat(spread.get("independent_cost").asDouble()).isEqualTo(one.get("independent_cost").asDouble());
      assertThat(spread.get("nfe").asInt()).isEqualTo(one.get("nfe").asInt());
      Dataset<Row> parquet = spark.read().parquet(out.resolve("pairs.parquet").toString());
      assertThat(parquet.count()).isEqualTo(250);
      assertThat(parquet.select("index").distinct().count()).as("no row of a failed attempt is left twice").isEqualTo(250);
    }
  }

  /** {@code reflow} of 250 pairs (chunks of 40, heun 6 steps) into {@code out}; its pairs.json. */
  private static JsonNode reflow(Path out, String... more) throws Exception {
    String[] args = Stream.concat(Stream.of("reflow", run.toString(), "--out", out.toString(), "--json"), Stream.of(more))
        .toArray(String[]::new);
    Cli.Call c = Cli.run(args);
    assertThat(c.code()).as(c.err()).isZero();
    if (more.length > 0) {
      // local[2,3] runs min(2, tasks) tasks at once: each gets the cores ÷ that as inter-op threads (surefire sets TF_OVERRIDE_GLOBAL_THREADPOOL)
      int tasks = Integer.parseInt(more[3]);
      int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / Math.min(2, tasks));
      assertThat(c.err()).as("stderr").contains("7 chunks of 40 rows in " + tasks + " tasks")
          .contains("an intra-op pool per task (one thread per core, as in one process), inter-op threads per task: " + threads);
    }
    assertThat(new ObjectMapper().readTree(c.out()).get("n").asInt()).isEqualTo(250);
    return new ObjectMapper().readTree(out.resolve("pairs.json").toFile());
  }

  @Test
  void partitionsWithoutSparkAndAnotherMasterAreRefusedNamingTheFix() throws Exception {
    Cli.Call partitions = Cli.run("sample", run.toString(), "--out", tmp.resolve("p").toString(), "--partitions", "2");
    assertThat(partitions.code()).isEqualTo(2);
    assertThat(partitions.err()).contains("--spark MASTER");
    Cli.Call other = Cli.run("sample", run.toString(), "--out", tmp.resolve("o").toString(), "--spark", "local[1]");
    assertThat(other.code()).isEqualTo(2);
    assertThat(other.err()).contains("--spark " + MASTER);
    assertThat(tmp.resolve("o")).doesNotExist();
  }

  @Test
  void likelihoodCombinedFromTheTasksMomentsEqualsOneProcess() throws Exception {
    for (String[] divergence : new String[][] {{"--divergence", "exact"}, {"--divergence", "hutchinson", "--probes", "2"}}) {
      JsonNode local = likelihood(divergence);
      for (int p = 1; p <= 3; p++) {
        JsonNode spread = likelihood(Stream.concat(Stream.of(divergence),
            Stream.of("--spark", MASTER, "--partitions", String.valueOf(p))).toArray(String[]::new));
        // Each row's log-likelihood is bitwise the same (same chunks); only the sums are re-associated:
        // 300 terms of size ~1 in double carry at most ~300·2⁻⁵³ ≈ 3e-14 of rounding, so 1e-12 relative.
        for (String key : divergence.length == 2 ? List.of("mean_nll", "std_error") : List.of("mean_nll", "std_error", "probe_std_error")) {
          assertThat(spread.get(key).asDouble()).as("%s, %d partitions, %s", key, p, divergence[1])
              .isCloseTo(local.get(key).asDouble(), withinPercentage(1e-10));
        }
        assertThat(spread.get("n").asInt()).isEqualTo(300);
        assertThat(spread.get("nfe").asInt()).isEqualTo(local.get("nfe").asInt());
      }
    }
  }

  @Test
  void encodeGivesTheLatentsAndErrorsOfOneProcess() throws Exception {
    int n = 200;
    double[] x = new double[2 * n];
    for (int i = 0; i < n; i++) { // points on a ring, nothing special: any rows will do
      x[2 * i] = Math.cos(0.1 * i);
      x[2 * i + 1] = Math.sin(0.1 * i) * (1 + 0.001 * i);
    }
    Path data = tmp.resolve("ring.npy");
    Npy.writeFloat32(data, x, n, 2);
    JsonNode local = encode(data, tmp.resolve("z-local.npy"));
    for (int p = 2; p <= 3; p++) {
      Path z = tmp.resolve("z-" + p + ".npy");
      JsonNode spread = encode(data, z, "--spark", MASTER, "--partitions", String.valueOf(p));
      assertThat(Files.readAllBytes(z)).as("%d partitions", p).isEqualTo(Files.readAllBytes(tmp.resolve("z-local.npy")));
      // computed from the same rows in the same order as one process: exactly equal
      assertThat(spread.get("max_error").asDouble()).isEqualTo(local.get("max_error").asDouble());
      assertThat(spread.get("rms_error").asDouble()).isEqualTo(local.get("rms_error").asDouble());
      assertThat(spread.get("nfe").asInt()).isEqualTo(local.get("nfe").asInt());
    }
  }

  private static JsonNode encode(Path data, Path out, String... more) throws Exception {
    String[] args = Stream.concat(Stream.of("encode", run.toString(), "--data", data.toString(), "--out", out.toString(),
        "--batch", "48", "--steps", "6", "--json"), Stream.of(more)).toArray(String[]::new);
    Cli.Call c = Cli.run(args);
    assertThat(c.code()).as(c.err()).isZero();
    return new ObjectMapper().readTree(c.out());
  }

  @Test
  void evaluateJoinedFromTheTasksMomentsEqualsOneProcess() throws Exception {
    FashionMnist data = FashionMnist.loadDefault();
    Path cache = tmp.resolve("classifier-cache");
    ClassifierCache.train(cache, data, new ClassifierCache.Spec(100, 64, 2e-3, 0, 1000), new PrintStream(OutputStream.nullOutputStream()));
    int n = 1100; // 3 chunks of the classifier's 500 rows, the last padded
    double[] x = new double[n * FashionMnist.PIXELS];
    for (int i = 0; i < n; i++) {
      data.copyRow(false, i, x, i * FashionMnist.PIXELS);
    }
    Path images = Files.createDirectories(tmp.resolve("images"));
    Files.writeString(images.resolve("manifest.yaml"), "data: fashion-mnist\nsampling:\n  label: \"all\"\n");
    Npy.writeFloat32(images.resolve("samples.npy"), x, n, FashionMnist.PIXELS);
    JsonNode local = evaluate(images, cache);
    JsonNode spread = evaluate(images, cache, "--spark", MASTER, "--partitions", "3");
    // the features are bitwise those of one process; the statistics re-associate sums of 1100 terms,
    // and the Fréchet distance's matrix square root amplifies that rounding: 1e-6 relative
    assertThat(spread.get("frechet_distance").asDouble()).isCloseTo(local.get("frechet_distance").asDouble(), withinPercentage(1e-4));
    for (String exact : List.of("class_accuracy", "class_accuracy_per_class", "predicted_class_counts", "n")) {
      assertThat(spread.get(exact)).as(exact).isEqualTo(local.get(exact));
    }
  }

  private static JsonNode evaluate(Path images, Path cache, String... more) throws Exception {
    String[] args = Stream.concat(Stream.of("evaluate", images.toString(), "--cache", cache.toString(), "--json"), Stream.of(more))
        .toArray(String[]::new);
    Cli.Call c = Cli.run(args);
    assertThat(c.code()).as(c.err()).isZero();
    return new ObjectMapper().readTree(c.out());
  }

  private static JsonNode likelihood(String... more) throws Exception {
    String[] args = Stream.concat(Stream.of("likelihood", run.toString(), "--n", "300", "--batch", "64", "--steps", "8", "--json"),
        Stream.of(more)).toArray(String[]::new);
    Cli.Call c = Cli.run(args);
    assertThat(c.code()).as(c.err()).isZero();
    return new ObjectMapper().readTree(c.out());
  }

  private static double metric(Path folder, String key) throws Exception {
    return new ObjectMapper().readTree(folder.resolve("metrics.json").toFile()).get(key).asDouble();
  }
}
