package org.diffuse4j.runtime.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.diffuse4j.api.io.AtomicFiles;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.api.model.SplitDataSet;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.runtime.run.ScaleOut;

/**
 * Evaluates the samples of a Fashion-MNIST run folder with the {@link FashionClassifier}: the
 * fraction of samples classified as their requested class (from the manifest's
 * {@code sampling.label}: {@code all} → class i mod 10, a class id → that class, −1 →
 * unconditional, no class accuracy) and the Fréchet distance between the 128-d classifier features
 * of the samples and of the test images, next to the same distance for as many real training
 * images of the same classes ({@code frechet_distance_real}, the small-sample floor). Samples are
 * clipped to [−1, 1] (the image range) first. Writes {@code evaluation.json} into the run folder.
 */
public final class Evaluation {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Evaluation() {}

  /** The requested class of each sample, or null for unconditional samples. */
  static int[] requestedLabels(String label, int n) {
    String l = label.trim();
    if (l.equals("all")) {
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        out[i] = i % FashionClassifier.CLASSES;
      }
      return out;
    }
    int k;
    try {
      k = Integer.parseInt(l);
    } catch (NumberFormatException e) {
      throw new OptionException("sampling.label must be a class id, -1 or 'all', got '" + label + "'");
    }
    if (k == -1) {
      return null;
    }
    if (k < 0 || k >= FashionClassifier.CLASSES) {
      throw new OptionException("sampling.label " + k + " is not a Fashion-MNIST class (0..9)");
    }
    int[] out = new int[n];
    Arrays.fill(out, k);
    return out;
  }

  /**
   * The Fréchet distance of n real <em>training</em> images (with the requested classes, in the
   * training set's order; the first n for unconditional runs) to the test statistics: the value a
   * perfect generator would get with this many samples (the estimate is biased upwards at small n).
   * Null when the data set is not available.
   */
  private static Double reference(ClassifierCache.Loaded clf, Supplier<SplitDataSet> data, int[] requested, int n,
      PrintStream log) {
    SplitDataSet d;
    try {
      d = data.get();
    } catch (RuntimeException e) {
      log.println("no real-image reference for the Fréchet distance: " + e.getMessage());
      return null;
    }
    int[] labels = d.labels(true);
    double[] x = new double[n * FashionClassifier.PIXELS];
    int[] next = new int[FashionClassifier.CLASSES];
    for (int i = 0; i < n; i++) {
      int j;
      if (requested == null) {
        j = i % labels.length;
      } else {
        int want = requested[i];
        j = next[want];
        while (j < labels.length && labels[j] != want) {
          j++;
        }
        if (j == labels.length) {
          return null; // more samples of a class than the training set holds
        }
        next[want] = j + 1;
      }
      d.copyRow(true, j, x, i * FashionClassifier.PIXELS);
    }
    FashionClassifier.Output o = clf.net().predict(x, n, FashionClassifier.CHUNK);
    return Frechet.distance(Frechet.stats(o.features(), n, FashionClassifier.FEATURES), clf.testStats());
  }

  /**
   * Evaluates {@code runDir} with the classifier cached under {@code cacheRoot} (trained from
   * {@code data} if absent) and writes {@code evaluation.json}; returns its content.
   */
  public static Map<String, Object> evaluate(Path runDir, Path cacheRoot, Supplier<SplitDataSet> data,
      PrintStream log) throws IOException {
    return evaluate(runDir, cacheRoot, data, ClassifierCache.Spec.full(), log);
  }

  /** As {@link #evaluate(Path, Path, Supplier, PrintStream)} with the training settings used when no classifier is cached. */
  public static Map<String, Object> evaluate(Path runDir, Path cacheRoot, Supplier<SplitDataSet> data,
      ClassifierCache.Spec spec, PrintStream log) throws IOException {
    return evaluate(runDir, cacheRoot, data, spec, log, null, null);
  }

  /**
   * As {@link #evaluate(Path, Path, Supplier, ClassifierCache.Spec, PrintStream)}, with the samples'
   * classifier outputs computed by {@code scaleOut} on {@code master} with {@code partitions} tasks
   * (null: in this process) and joined from the tasks' {@link FeatureMoments}.
   */
  public static Map<String, Object> evaluate(Path runDir, Path cacheRoot, Supplier<SplitDataSet> data,
      ClassifierCache.Spec spec, PrintStream log, ScaleOut scaleOut, ScaleOut.EvaluateJob job) throws IOException {
    Path manifest = runDir.resolve("manifest.yaml");
    if (!Files.isDirectory(runDir) || !Files.isRegularFile(manifest)) {
      throw new OptionException("not a run folder: " + runDir.toAbsolutePath() + " (no manifest.yaml)");
    }
    Path samplesFile = runDir.resolve("samples.npy");
    if (!Files.isRegularFile(samplesFile)) {
      throw new OptionException("no samples.npy in " + runDir.toAbsolutePath() + " (has the run finished?)");
    }
    JsonNode m = YAML.readTree(manifest.toFile());
    JsonNode labelNode = m.path("sampling").path("label");
    String label = labelNode.isMissingNode() || labelNode.isNull() ? "-1" : labelNode.asText();
    JsonNode dataNode = m.path("data");
    String dataName = dataNode.isObject() ? dataNode.path("name").asText("") : dataNode.asText("");
    if (!dataName.isEmpty() && !dataName.equals("fashion-mnist")) {
      log.println("warning: the run's data is '" + dataName + "', not fashion-mnist: the classifier's scores may mean little");
    }
    Npy.Array a = Npy.read(samplesFile);
    int[] s = a.shape();
    int pixels = 1;
    for (int i = 1; i < s.length; i++) {
      pixels *= s[i];
    }
    if (s.length < 2 || pixels != FashionClassifier.PIXELS) {
      throw new OptionException(samplesFile + " has shape " + Arrays.toString(s)
          + ": evaluate needs 28×28 grey images (n × 784, n × 28 × 28 or n × 28 × 28 × 1)");
    }
    int n = s[0];
    if (n < 2) {
      throw new OptionException(samplesFile + " holds " + n + " samples: need at least 2 for a covariance");
    }
    int[] requested = requestedLabels(label, n);
    double[] x = a.data().clone();
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.max(-1, Math.min(1, x[i]));
    }

    Map<String, Object> out = new LinkedHashMap<>();
    SplitDataSet[] loaded = new SplitDataSet[1];
    Supplier<SplitDataSet> once = () -> loaded[0] != null ? loaded[0] : (loaded[0] = data.get());
    try (ClassifierCache.Loaded clf = ClassifierCache.loadOrTrain(cacheRoot, once, spec, log)) {
      FeatureMoments moments = null;
      FashionClassifier.Output o = null;
      if (scaleOut != null) {
        moments = scaleOut.evaluate(new ScaleOut.EvaluateJob(job.master(), job.partitions(), clf.dir()), x, n, requested);
      } else {
        o = clf.net().predict(x, n, FashionClassifier.CHUNK);
      }
      Frechet.Stats stats = o != null ? Frechet.stats(o.features(), n, FashionClassifier.FEATURES) : moments.stats();
      double fd = Frechet.distance(stats, clf.testStats());
      if (o != null) {
        out.put("class_accuracy", requested == null ? null : FashionClassifier.accuracy(o.classes(), requested));
      } else {
        out.put("class_accuracy", requested == null ? null : Arrays.stream(moments.hits()).sum() / (double) n);
      }
      if (requested != null) {
        List<Double> perClass = new ArrayList<>();
        for (int k = 0; k < FashionClassifier.CLASSES; k++) {
          long hits = 0;
          long count = 0;
          if (o != null) {
            for (int i = 0; i < n; i++) {
              if (requested[i] == k) {
                count++;
                hits += o.classes()[i] == k ? 1 : 0;
              }
            }
          } else {
            hits = moments.hits()[k];
            count = moments.requested()[k];
          }
          perClass.add(count == 0 ? null : hits / (double) count);
        }
        out.put("class_accuracy_per_class", perClass);
      }
      out.put("frechet_distance", fd);
      out.put("frechet_distance_real", reference(clf, once, requested, n, log));
      out.put("classifier_test_accuracy", clf.testAccuracy());
      out.put("n", n);
      out.put("label", label);
      int[] histogram = new int[FashionClassifier.CLASSES];
      if (o != null) {
        for (int c : o.classes()) {
          histogram[c]++;
        }
      } else {
        for (int k = 0; k < histogram.length; k++) {
          histogram[k] = (int) moments.predicted()[k];
        }
      }
      out.put("predicted_class_counts", histogram);
      out.put("classifier", clf.dir().toAbsolutePath().toString());
    }
    AtomicFiles.writeString(runDir.resolve("evaluation.json"), JSON.writeValueAsString(out));
    return out;
  }
}
