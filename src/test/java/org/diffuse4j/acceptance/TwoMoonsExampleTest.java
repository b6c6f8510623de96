package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main job, and the reproducibility promise, through the CLI. */
class TwoMoonsExampleTest {
  @TempDir Path tmp;

  @Test
  void theMainExampleLearnsTwoMoons() throws Exception {
    Path out = tmp.resolve("two-moons");
    Cli c = Cli.run("run", Manifests.twoMoons().toString(), "--out", out.toString());
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    double sw = m.get("sliced_wasserstein").asDouble();
    double baseline = m.get("sliced_wasserstein_baseline").asDouble();
    // Issue 3's target; the baseline (two independent data draws) shows the metric's own noise floor.
    assertThat(sw).isLessThanOrEqualTo(0.1);
    assertThat(baseline).isPositive().isLessThan(0.1);
    assertThat(out.resolve("samples.png")).isRegularFile();
    assertThat(c.out()).contains(out.resolve("samples.png").toString(), out.resolve("metrics.json").toString());
  }

  @Test
  void sameManifestAndSeedGiveIdenticalSamplesWhateverTheBatchSize() throws Exception {
    String[] quick = {"--set", "training.steps=60", "--set", "training.warmup=6", "--set", "training.batch_size=256", "--set", "network.width=64",
        "--set", "sampling.n=1000", "--set", "sampling.steps=8", "--set", "sampling.solver=euler-maruyama"};
    byte[] first = sample(tmp.resolve("a"), quick, 1000);
    byte[] again = sample(tmp.resolve("b"), quick, 1000);
    byte[] small = sample(tmp.resolve("c"), quick, 100);
    assertThat(again).isEqualTo(first);
    assertThat(small).isEqualTo(first);
  }

  private static byte[] sample(Path out, String[] quick, int batch) throws Exception {
    String[] args = new String[quick.length + 6];
    args[0] = "run";
    args[1] = Manifests.twoMoons().toString();
    args[2] = "--out";
    args[3] = out.toString();
    args[4] = "--set";
    args[5] = "sampling.batch_size=" + batch;
    System.arraycopy(quick, 0, args, 6, quick.length);
    Cli c = Cli.run(args);
    assertThat(c.code()).as(c.err()).isZero();
    return Files.readAllBytes(out.resolve("samples.npy"));
  }
}
