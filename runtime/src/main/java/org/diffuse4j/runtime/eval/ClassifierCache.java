package org.diffuse4j.runtime.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.diffuse4j.api.io.AtomicFiles;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.api.model.SplitDataSet;

/**
 * The trained evaluation classifier, cached in {@code ROOT/fashion-classifier/}: the checkpoint
 * {@code variables.*}, {@code classifier.json} (test accuracy, training settings and time) and the
 * statistics of the test images' features ({@code test_features_mean.npy}, {@code
 * test_features_cov.npy}, float64). ROOT is {@code $DIFFUSE4J_CACHE} or {@code ~/.cache/diffuse4j}.
 * The folder is staged next to its target and swapped in with {@link AtomicFiles#replaceDirectory},
 * so a crash never leaves a half-written classifier; a folder whose {@code classifier.json} is
 * missing or of another {@link #VERSION} is retrained.
 */
public final class ClassifierCache {
  /** Environment variable overriding the cache root. */
  public static final String ENV = "DIFFUSE4J_CACHE";
  /** Folder name of the classifier inside the cache root. */
  public static final String NAME = "fashion-classifier";
  /** Architecture and format version recorded in classifier.json. */
  public static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final long DATA_SEED = 0x5eedL;

  private ClassifierCache() {}

  /**
   * Training settings: {@code steps} Adam steps of {@code batch} training images drawn by
   * {@link SplitDataSet#sample} (counter-based, with replacement), learning rate cosine-decayed from
   * {@code lr} to lr/20, accuracy and feature statistics on the first {@code testImages} test images.
   */
  public record Spec(int steps, int batch, double lr, long seed, int testImages) {
    /** The cached classifier: 5 epochs (4,687 steps of 64), lr 1e-3, the whole 10,000-image test set. */
    public static Spec full() {
      return new Spec(5 * 60_000 / 64, 64, 1e-3, 0, 10_000);
    }
  }

  /** A loaded classifier with its recorded test accuracy and test-feature statistics. */
  public record Loaded(FashionClassifier net, double testAccuracy, Frechet.Stats testStats, boolean trained,
      Path dir) implements AutoCloseable {
    @Override
    public void close() {
      net.close();
    }
  }

  /** {@code $DIFFUSE4J_CACHE}, else {@code ~/.cache/diffuse4j}. */
  public static Path defaultRoot() {
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "diffuse4j");
  }

  /** Whether {@code root} holds a complete classifier of this version. */
  public static boolean present(Path root) throws IOException {
    Path dir = root.resolve(NAME);
    AtomicFiles.recoverDirectory(dir);
    Path info = dir.resolve("classifier.json");
    if (!Files.isRegularFile(info) || !Files.isRegularFile(dir.resolve("variables.index"))) {
      return false;
    }
    JsonNode node = JSON.readTree(info.toFile());
    return node.path("version").asInt(-1) == VERSION;
  }

  /** Loads the cached classifier, or trains it with {@code spec} (data loaded only then) and caches it. */
  public static Loaded loadOrTrain(Path root, Supplier<SplitDataSet> data, Spec spec, PrintStream log)
      throws IOException {
    boolean trained = false;
    if (!present(root)) {
      log.printf("no evaluation classifier in %s: training one (%d steps of %d images)%n", root.resolve(NAME),
          spec.steps(), spec.batch());
      train(root, data.get(), spec, log);
      trained = true;
    }
    Path dir = root.resolve(NAME);
    JsonNode info = JSON.readTree(dir.resolve("classifier.json").toFile());
    Npy.Array mean = Npy.read(dir.resolve("test_features_mean.npy"));
    Npy.Array cov = Npy.read(dir.resolve("test_features_cov.npy"));
    int d = FashionClassifier.FEATURES;
    double[][] c = new double[d][d];
    for (int i = 0; i < d; i++) {
      System.arraycopy(cov.data(), i * d, c[i], 0, d);
    }
    return new Loaded(FashionClassifier.restore(dir), info.path("test_accuracy").asDouble(),
        new Frechet.Stats(mean.data(), c), trained, dir);
  }

  /** Trains a classifier, measures it on the test images and atomically writes {@code root/fashion-classifier}. */
  public static Map<String, Object> train(Path root, SplitDataSet data, Spec spec, PrintStream log) throws IOException {
    Files.createDirectories(root);
    Path target = root.resolve(NAME);
    Path staged = root.resolve("." + NAME + ".tmp-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
    Map<String, Object> info = new LinkedHashMap<>();
    try (FashionClassifier net = new FashionClassifier(spec.seed())) {
      long t0 = System.nanoTime();
      double avg = Double.NaN;
      for (int step = 0; step < spec.steps(); step++) {
        long first = (long) step * spec.batch();
        double[] x = data.sample(DATA_SEED + spec.seed(), first, spec.batch());
        int[] y = data.labels(DATA_SEED + spec.seed(), first, spec.batch());
        double progress = spec.steps() <= 1 ? 0 : step / (double) (spec.steps() - 1);
        double lr = spec.lr() * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * progress)));
        double loss = net.trainStep(x, y, spec.batch(), lr);
        avg = Double.isNaN(avg) ? loss : 0.98 * avg + 0.02 * loss;
        if ((step + 1) % 250 == 0 || step + 1 == spec.steps()) {
          log.printf("classifier step %d/%d loss %.4f (%.0f s)%n", step + 1, spec.steps(), avg,
              (System.nanoTime() - t0) / 1e9);
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      int nTest = Math.min(spec.testImages(), data.count(false));
      double[] testX = new double[nTest * FashionClassifier.PIXELS];
      for (int i = 0; i < nTest; i++) {
        data.copyRow(false, i, testX, i * FashionClassifier.PIXELS);
      }
      int[] testY = java.util.Arrays.copyOf(data.labels(false), nTest);
      FashionClassifier.Output out = net.predict(testX, nTest, FashionClassifier.CHUNK);
      double acc = FashionClassifier.accuracy(out.classes(), testY);
      Frechet.Stats stats = Frechet.stats(out.features(), nTest, FashionClassifier.FEATURES);
      log.printf("classifier: test accuracy %.4f on %d test images, trained in %.1f s%n", acc, nTest, seconds);

      Files.createDirectories(staged);
      net.save(staged);
      Npy.writeFloat64(staged.resolve("test_features_mean.npy"), stats.mean());
      int d = FashionClassifier.FEATURES;
      double[] flat = new double[d * d];
      for (int i = 0; i < d; i++) {
        System.arraycopy(stats.cov()[i], 0, flat, i * d, d);
      }
      Npy.writeFloat64(staged.resolve("test_features_cov.npy"), flat, d, d);
      info.put("version", VERSION);
      info.put("architecture", "conv3x3(32)-relu-maxpool2-conv3x3(64)-relu-maxpool2-dense(128)-relu-dense(10)");
      info.put("test_accuracy", acc);
      info.put("test_images", nTest);
      info.put("train_steps", spec.steps());
      info.put("batch_size", spec.batch());
      info.put("lr", spec.lr());
      info.put("seed", spec.seed());
      info.put("train_seconds", seconds);
      AtomicFiles.writeString(staged.resolve("classifier.json"), JSON.writeValueAsString(info));
      AtomicFiles.replaceDirectory(staged, target);
    } finally {
      if (Files.exists(staged)) {
        try (var files = Files.list(staged)) {
          for (Path p : (Iterable<Path>) files::iterator) {
            Files.deleteIfExists(p);
          }
        }
        Files.deleteIfExists(staged);
      }
    }
    return info;
  }
}
