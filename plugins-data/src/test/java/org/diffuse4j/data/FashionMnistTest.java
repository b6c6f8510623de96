package org.diffuse4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Needs Debian's dataset-fashion-mnist package (`apt-get install dataset-fashion-mnist`). */
class FashionMnistTest {
  private static FashionMnist data;

  @BeforeAll
  static void load() {
    data = FashionMnist.loadDefault();
  }

  @Test
  void countsAndTenClassesOf6000TrainingImages() {
    assertThat(data.count(true)).isEqualTo(60_000);
    assertThat(data.count(false)).isEqualTo(10_000);
    int[] trainHist = new int[10];
    for (int y : data.labels(true)) {
      trainHist[y]++;
    }
    int[] testHist = new int[10];
    for (int y : data.labels(false)) {
      testHist[y]++;
    }
    assertThat(trainHist).containsOnly(6000);
    assertThat(testHist).containsOnly(1000);
    assertThat(FashionMnist.CLASS_NAMES).hasSize(10).startsWith("T-shirt/top", "Trouser").endsWith("Ankle boot");
    assertThat(data.dim()).isEqualTo(784);
  }

  @Test
  void pixelsSpanMinusOneToOne() {
    double[] test = data.images(false);
    assertThat(test).hasSize(10_000 * 784);
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (double v : test) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertThat(min).isEqualTo(-1.0);
    assertThat(max).isEqualTo(1.0);
  }

  /** Mean training intensity in [0, 1] from the raw gz bytes (16-byte header), read without Idx. */
  @Test
  void meanTrainingIntensityMatchesTheRawFileAndThePublishedValue() throws IOException {
    long sum = 0;
    long n = 0;
    try (InputStream in = new GZIPInputStream(
        Files.newInputStream(FashionMnist.DEFAULT_DIR.resolve("train-images-idx3-ubyte.gz")))) {
      in.readNBytes(16);
      byte[] buf = new byte[1 << 16];
      for (int r; (r = in.read(buf)) > 0; ) {
        for (int i = 0; i < r; i++) {
          sum += buf[i] & 0xff;
        }
        n += r;
      }
    }
    assertThat(n).isEqualTo(60_000L * 784);
    double rawMean = sum / (255.0 * n);
    // the commonly quoted normalisation constant for Fashion-MNIST is mean 0.2860
    assertThat(rawMean).isCloseTo(0.2860, within(5e-4));
    double scaled = 0;
    double[] one = new double[784];
    for (int i = 0; i < 60_000; i++) {
      data.copyRow(true, i, one, 0);
      for (double v : one) {
        scaled += v;
      }
    }
    assertThat((scaled / n + 1) / 2).isCloseTo(rawMean, within(1e-9));
  }

  @Test
  void theTestSplitDrawsTestImagesWithTheirLabels() {
    FashionMnist test = data.testSplit();
    double[] a = test.sample(7, 0, 5);
    int[] labels = test.labels(7, 0, 5);
    double[] image = new double[784];
    for (int i = 0; i < 5; i++) {
      int index = test.index(7, i);
      assertThat(index).isBetween(0, 9999);
      test.copyRow(false, index, image, 0);
      assertThat(java.util.Arrays.copyOfRange(a, i * 784, (i + 1) * 784)).containsExactly(image);
      assertThat(labels[i]).isEqualTo(test.label(false, index));
    }
    assertThat(a).isNotEqualTo(data.sample(7, 0, 5));
  }

  @Test
  void samplingIsAPureFunctionOfSeedAndRow() {
    double[] a = data.sample(7, 100, 6);
    double[] b = data.sample(7, 103, 3);
    assertThat(java.util.Arrays.copyOfRange(a, 3 * 784, 6 * 784)).containsExactly(b);
    assertThat(data.sample(7, 100, 6)).containsExactly(a);
    assertThat(data.sample(8, 100, 6)).isNotEqualTo(a);
    int[] labels = data.labels(7, 100, 6);
    double[] image = new double[784];
    for (int i = 0; i < 6; i++) {
      int index = data.index(7, 100 + i);
      data.copyRow(true, index, image, 0);
      assertThat(java.util.Arrays.copyOfRange(a, i * 784, (i + 1) * 784)).containsExactly(image);
      assertThat(labels[i]).isEqualTo(data.label(true, index));
    }
    // rows cover the classes roughly evenly
    int[] hist = new int[10];
    for (int y : data.labels(1, 0, 5000)) {
      hist[y]++;
    }
    for (int h : hist) {
      assertThat(h).isBetween(400, 600);
    }
  }

  @Test
  void missingFilesSayHowToInstallThem(@TempDir Path empty) {
    assertThatThrownBy(() -> FashionMnist.load(empty))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("train-images-idx3-ubyte")
        .hasMessageContaining(empty.toString())
        .hasMessageContaining("apt-get install dataset-fashion-mnist");
  }

  private static byte[] idx(int[] dims, byte[] values) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(0x0800 | dims.length);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(values);
    }
    return bytes.toByteArray();
  }

  @Test
  void readsUncompressedIdxFilesFromAnyFolder(@TempDir Path dir) throws IOException {
    byte[] pixels = new byte[2 * 784];
    pixels[0] = (byte) 255;
    pixels[784 + 5] = (byte) 51;
    Files.write(dir.resolve("train-images-idx3-ubyte"), idx(new int[] {2, 28, 28}, pixels));
    Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(new int[] {2}, new byte[] {9, 3}));
    Files.write(dir.resolve("t10k-images-idx3-ubyte"), idx(new int[] {1, 28, 28}, new byte[784]));
    Files.write(dir.resolve("t10k-labels-idx1-ubyte"), idx(new int[] {1}, new byte[] {4}));
    FashionMnist tiny = FashionMnist.load(dir);
    assertThat(tiny.count(true)).isEqualTo(2);
    assertThat(tiny.labels(true)).containsExactly(9, 3);
    assertThat(tiny.labels(false)).containsExactly(4);
    double[] images = tiny.images(true);
    assertThat(images[0]).isEqualTo(1.0);
    assertThat(images[1]).isEqualTo(-1.0);
    assertThat(images[784 + 5]).isCloseTo(51 / 127.5 - 1, within(1e-12));
  }

  @Test
  void rejectsAFileThatIsNotIdx(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("train-images-idx3-ubyte"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    assertThatThrownBy(() -> Idx.read(dir.resolve("train-images-idx3-ubyte")))
        .isInstanceOf(IOException.class).hasMessageContaining("not an unsigned-byte IDX file");
  }
}
