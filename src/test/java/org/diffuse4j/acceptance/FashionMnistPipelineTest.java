package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.diffuse4j.api.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-conditional Fashion-MNIST example end to end at toy size (20 training steps, a tiny
 * U-Net): proves the pipeline (data from Debian's package, U-Net, condition dropout, EMA, guided
 * sampling, one image row per class), not sample quality.
 */
class FashionMnistPipelineTest {
  @TempDir Path tmp;

  @Test
  void quickVariantTrainsAndSamplesOneRowPerClass() throws Exception {
    Path out = tmp.resolve("fm");
    Cli c = Cli.run("run", ThirdPartyJar.repoRoot().resolve("examples/manifests/fashion-mnist-cfg.yaml").toString(),
        "--out", out.toString(), "--set", "training.steps=20", "--set", "training.warmup=2", "--set", "training.batch_size=16",
        "--set", "network.base_channels=8", "--set", "network.groups=4",
        "--set", "sampling.steps=4", "--set", "sampling.n=20", "--set", "sampling.batch_size=20");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(Npy.read(out.resolve("samples.npy")).shape()).containsExactly(20, 784);
    BufferedImage grid = ImageIO.read(out.resolve("samples.png").toFile());
    assertThat(grid.getHeight()).as("10 rows of 28-pixel images").isGreaterThan(10 * 28);
    assertThat(c.out()).contains("NFE 8"); // 4 DDIM steps × 2 evaluations (conditional + unconditional)
  }
}
