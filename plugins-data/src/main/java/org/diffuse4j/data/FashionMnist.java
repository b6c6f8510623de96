package org.diffuse4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.model.SplitDataSet;

/**
 * Fashion-MNIST (Xiao, Rasul &amp; Vollgraf 2017, arXiv:1708.07747): 70,000 grey 28×28 images of 10
 * clothing classes (60,000 train, 10,000 test), read from the IDX files of Debian's
 * {@code dataset-fashion-mnist} package. Images come as row-major n×28×28×1 values scaled from
 * bytes 0..255 to [−1, 1] (v/127.5 − 1).
 *
 * <p>As a {@link org.diffuse4j.api.model.DataSet}, training row i of a draw is the training image with index
 * ⌊u·60000⌋, u = {@link CounterNoise#uniform(long, long, long, long)}(seed, first + i, stream 0x0fa,
 * 0): sampling with replacement, a pure function of (seed, first + i), so training is deterministic
 * and resumable. {@link #labels(long, long, int)} gives the labels of the same rows.
 */
public final class FashionMnist implements SplitDataSet {
  /** Where Debian's package installs the files. */
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
  /** Image side in pixels. */
  public static final int SIDE = 28;
  /** Values per image. */
  public static final int PIXELS = SIDE * SIDE;
  /** Class names by label, from the data set's README. */
  public static final List<String> CLASS_NAMES = List.of(
      "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  private static final long STREAM = 0x0fa;

  private final byte[] trainPixels;
  private final byte[] trainLabels;
  private final byte[] testPixels;
  private final byte[] testLabels;
  /** Whether {@link #sample} draws from the training split (else the test split). */
  private final boolean train;

  private FashionMnist(byte[] trainPixels, byte[] trainLabels, byte[] testPixels, byte[] testLabels, boolean train) {
    this.trainPixels = trainPixels;
    this.trainLabels = trainLabels;
    this.testPixels = testPixels;
    this.testLabels = testLabels;
    this.train = train;
  }

  /** The same files, with {@link #sample} and {@link #labels(long, long, int)} drawing from the test split. */
  public FashionMnist testSplit() {
    return new FashionMnist(trainPixels, trainLabels, testPixels, testLabels, false);
  }

  /** Loads from Debian's location, {@link #DEFAULT_DIR}. */
  public static FashionMnist loadDefault() {
    return load(DEFAULT_DIR);
  }

  /**
   * Loads the four IDX files ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
   * {@code t10k-...}, each plain or with {@code .gz}) from {@code dir}.
   *
   * @throws IllegalStateException naming the missing file and how to install it
   */
  public static FashionMnist load(Path dir) {
    byte[] trainX = read(dir, "train-images-idx3-ubyte", 3);
    byte[] trainY = read(dir, "train-labels-idx1-ubyte", 1);
    byte[] testX = read(dir, "t10k-images-idx3-ubyte", 3);
    byte[] testY = read(dir, "t10k-labels-idx1-ubyte", 1);
    if (trainX.length != trainY.length * PIXELS || testX.length != testY.length * PIXELS) {
      throw new IllegalStateException("Fashion-MNIST files in " + dir + " disagree: image and label counts differ");
    }
    return new FashionMnist(trainX, trainY, testX, testY, true);
  }

  private static byte[] read(Path dir, String name, int rank) {
    Path file = dir.resolve(name + ".gz");
    if (!Files.isRegularFile(file)) {
      file = dir.resolve(name);
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("Fashion-MNIST file " + name + "(.gz) not found in " + dir
          + ". Install Debian's package with `sudo apt-get install dataset-fashion-mnist` (files go to "
          + DEFAULT_DIR + "), or pass the folder holding the four IDX files.");
    }
    try {
      Idx idx = Idx.read(file);
      if (idx.dims().length != rank || (rank == 3 && (idx.dims()[1] != SIDE || idx.dims()[2] != SIDE))) {
        throw new IllegalStateException(file + " has shape " + java.util.Arrays.toString(idx.dims())
            + ", expected " + (rank == 3 ? "[n, 28, 28]" : "[n]"));
      }
      return idx.data();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Fashion-MNIST file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Number of images in the training (60,000) or test (10,000) split. */
  @Override
  public int count(boolean train) {
    return (train ? trainLabels : testLabels).length;
  }

  /** All images of a split, row-major n×28×28×1 in [−1, 1] (the training split takes 376 MB). */
  public double[] images(boolean train) {
    int n = count(train);
    double[] out = new double[n * PIXELS];
    for (int i = 0; i < n; i++) {
      copyRow(train, i, out, i * PIXELS);
    }
    return out;
  }

  /** Label of one image. */
  @Override
  public int label(boolean train, int index) {
    return (train ? trainLabels : testLabels)[index];
  }

  /** Writes image {@code index} of a split, scaled to [−1, 1], into out[offset .. offset + 784). */
  @Override
  public void copyRow(boolean train, int index, double[] out, int offset) {
    byte[] src = train ? trainPixels : testPixels;
    int from = index * PIXELS;
    for (int p = 0; p < PIXELS; p++) {
      out[offset + p] = (src[from + p] & 0xff) / 127.5 - 1.0;
    }
  }

  /** The image index (in the split {@link #sample} draws from) of row {@code row} of the stream with this seed. */
  public int index(long seed, long row) {
    int n = count(train);
    return Math.min(n - 1, (int) (CounterNoise.uniform(seed, row, STREAM, 0) * n));
  }

  @Override
  public int dim() {
    return PIXELS;
  }

  /** Rows [first, first + n) of the stream with this seed (training split unless {@link #testSplit}), n×784 in [−1, 1]. */
  @Override
  public double[] sample(long seed, long first, int n) {
    double[] out = new double[n * PIXELS];
    for (int i = 0; i < n; i++) {
      copyRow(train, index(seed, first + i), out, i * PIXELS);
    }
    return out;
  }

  /** Ten clothing classes, see {@link #CLASS_NAMES}. */
  @Override
  public int classes() {
    return CLASS_NAMES.size();
  }

  @Override
  public String className(int label) {
    return CLASS_NAMES.get(label);
  }

  @Override
  public int[] labels(long seed, long first, int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = label(train, index(seed, first + i));
    }
    return out;
  }
}
