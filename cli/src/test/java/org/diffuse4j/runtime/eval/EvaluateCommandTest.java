package org.diffuse4j.runtime.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.data.FashionMnist;
import org.diffuse4j.runtime.TestRuns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path cache;
  private static FashionMnist data;

  /** A classifier trained tiny (200 steps of 64) into the temporary cache: the command reuses it. */
  @BeforeAll
  static void tinyClassifier() throws IOException {
    data = FashionMnist.loadDefault();
    ClassifierCache.train(cache, data, new ClassifierCache.Spec(200, 64, 2e-3, 0, 1000),
        new PrintStream(new ByteArrayOutputStream()));
    assertThat(ClassifierCache.present(cache)).isTrue();
  }

  /** A fake run folder: n real test images, sample i of class i mod 10 (label: all), or a fixed label. */
  private static Path fakeRun(Path dir, String label, int n) throws IOException {
    int[] labels = data.labels(false);
    double[] x = new double[n * FashionMnist.PIXELS];
    int[] next = new int[10];
    for (int i = 0; i < n; i++) {
      int want = label.equals("all") ? i % 10 : Math.max(0, Integer.parseInt(label));
      int j = next[want];
      while (labels[j] != want) {
        j++;
      }
      next[want] = j + 1;
      data.copyRow(false, j, x, i * FashionMnist.PIXELS);
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("manifest.yaml"), "data: fashion-mnist\nsampling:\n  label: \"" + label + "\"\n");
    Npy.writeFloat32(dir.resolve("samples.npy"), x, n, FashionMnist.PIXELS);
    return dir;
  }

  @Test
  void classAccuracyOnRealImagesIsWellAboveChance(@TempDir Path tmp) throws IOException {
    Path run = fakeRun(tmp.resolve("run"), "all", 200);
    TestRuns.Call c = TestRuns.cli("evaluate", run.toString(), "--cache", cache.toString(), "--json");
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode out = JSON.readTree(c.out());
    assertThat(out.get("class_accuracy").asDouble()).isGreaterThan(0.5);
    assertThat(out.get("n").asInt()).isEqualTo(200);
    assertThat(out.get("frechet_distance").asDouble()).isFinite().isGreaterThanOrEqualTo(0);
    assertThat(out.get("classifier_test_accuracy").asDouble()).isGreaterThan(0.1);
    // real test images against real training images of the same classes: the same order of magnitude
    double real = out.get("frechet_distance_real").asDouble();
    assertThat(real).isFinite().isGreaterThan(0);
    assertThat(out.get("frechet_distance").asDouble()).isLessThan(3 * real);
    JsonNode written = JSON.readTree(run.resolve("evaluation.json").toFile());
    assertThat(written.get("class_accuracy").asDouble()).isEqualTo(out.get("class_accuracy").asDouble());
    assertThat(c.err()).doesNotContain("training one"); // the cached classifier was reused
  }

  @Test
  void unconditionalRunsGetOnlyTheFrechetDistanceAndOneClassRunsScoreLower(@TempDir Path tmp) throws IOException {
    TestRuns.Call c = TestRuns.cli("evaluate", fakeRun(tmp.resolve("u"), "-1", 100).toString(), "--cache",
        cache.toString(), "--json");
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode out = JSON.readTree(c.out());
    assertThat(out.get("class_accuracy").isNull()).isTrue();
    double oneClassFd = out.get("frechet_distance").asDouble(); // 100 T-shirts (class 0)

    TestRuns.Call all = TestRuns.cli("evaluate", fakeRun(tmp.resolve("a"), "all", 100).toString(), "--cache",
        cache.toString(), "--json");
    assertThat(JSON.readTree(all.out()).get("frechet_distance").asDouble()).isLessThan(oneClassFd);
  }

  @Test
  void aCachedClassifierNeedsNoDataSet(@TempDir Path tmp) throws IOException {
    Path run = fakeRun(tmp.resolve("run"), "3", 30);
    TestRuns.Call c = TestRuns.cli("evaluate", run.toString(), "--cache", cache.toString(), "--data",
        tmp.resolve("no-such-dataset").toString(), "--json");
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode out = JSON.readTree(c.out());
    assertThat(out.get("class_accuracy").asDouble()).isGreaterThan(0.3);
    assertThat(out.get("frechet_distance_real").isNull()).isTrue();
    assertThat(c.err()).contains("apt-get install dataset-fashion-mnist");
  }

  @Test
  void clearErrors(@TempDir Path tmp) throws IOException {
    TestRuns.Call notRun = TestRuns.cli("evaluate", tmp.toString(), "--cache", cache.toString());
    assertThat(notRun.code()).isNotZero();
    assertThat(notRun.err()).contains("not a run folder");

    Path bad = tmp.resolve("bad");
    Files.createDirectories(bad);
    Files.writeString(bad.resolve("manifest.yaml"), "sampling: {label: all}\n");
    Npy.writeFloat32(bad.resolve("samples.npy"), new double[20], 10, 2);
    TestRuns.Call shape = TestRuns.cli("evaluate", bad.toString(), "--cache", cache.toString());
    assertThat(shape.code()).isNotZero();
    assertThat(shape.err()).contains("28×28");

    Path run = fakeRun(tmp.resolve("run"), "all", 20);
    TestRuns.Call noData = TestRuns.cli("evaluate", run.toString(), "--cache", tmp.resolve("empty-cache").toString(),
        "--data", tmp.resolve("no-such-dataset").toString());
    assertThat(noData.code()).isNotZero();
    assertThat(noData.err()).contains("apt-get install dataset-fashion-mnist");
  }
}
