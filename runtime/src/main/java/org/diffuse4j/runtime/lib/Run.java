package org.diffuse4j.runtime.lib;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.diffuse4j.api.model.DataSet;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.metrics.SlicedWasserstein;
import org.diffuse4j.runtime.run.OutputPaths;

/**
 * A trained run folder: its metrics and samples, and new samples with other settings written to
 * {@code RUN/samples/NAME/} as {@code diffuse4j sample} does (never retraining, never touching the
 * run's own files). Get one from {@link Experiment#run} or {@link #open}.
 */
public final class Run {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final Map<String, Object> tree;
  private final List<Section.Instance> instances;
  private final Path pluginsFolder;
  private final PrintStream log;
  private final Metrics metrics;
  /** The run's manifest, validated on first use (null until then). */
  private Manifest resolved;

  Run(Path dir, Map<String, Object> tree, List<Section.Instance> instances, Path pluginsFolder, PrintStream log,
      Metrics metrics, Manifest resolved) {
    this.resolved = resolved;
    this.dir = dir;
    this.tree = tree;
    this.instances = instances;
    this.pluginsFolder = pluginsFolder;
    this.log = log;
    this.metrics = metrics;
  }

  /**
   * The finished run in {@code dir} (written by {@code diffuse4j run} or {@link Experiment#run}), with its plugins on the classpath.
   *
   * @param dir the run folder
   * @return the run
   * @throws IOException when a file cannot be read or written
   */
  public static Run open(Path dir) throws IOException {
    return open(dir, null);
  }

  /**
   * As {@link #open(Path)}, also looking for plugin jars in {@code pluginsFolder}.
   *
   * @param dir the run folder
   * @param pluginsFolder a folder of plugin jars (null: none)
   * @return the run
   * @throws IOException when a file cannot be read or written
   */
  public static Run open(Path dir, Path pluginsFolder) throws IOException {
    if (!OutputPaths.isRunFolder(dir)) {
      throw new OptionException("'" + dir + "' is not a run folder (it needs manifest.yaml with run.log or checkpoint/); "
          + "train one with Experiment.run or 'diffuse4j run MANIFEST'");
    }
    Map<String, Object> tree = ManifestLoader.read(dir.resolve("manifest.yaml"));
    return new Run(dir, tree, List.of(), pluginsFolder, Engine.SILENT, readMetrics(dir), null);
  }

  /**
   * The run folder.
   *
   * @return the run folder
   */
  public Path dir() {
    return dir;
  }

  /**
   * What the run measured on its own samples ({@code metrics.json}).
   *
   * @return the metrics
   */
  public Metrics metrics() {
    return metrics;
  }

  /**
   * The run's own samples ({@code samples.npy}), drawn with the experiment's sampling settings.
   *
   * @return the samples
   * @throws IOException when a file cannot be read or written
   */
  public Samples samples() throws IOException {
    return new Samples(Engine.readRows(dir.resolve("samples.npy")), metrics, dir);
  }

  /**
   * Samples the trained network again with {@code sampling} over the run's own sampling settings
   * (keys not set keep the run's), into the new folder {@code RUN/samples/SOLVER-GRID-STEPS}
   * ({@code -2}, {@code -3}, … when taken), as {@code diffuse4j sample RUN --set …} does.
   *
   * @param sampling the sampling settings
   * @return the samples
   * @throws IOException when a file cannot be read or written
   */
  public Samples sample(Sampling sampling) throws IOException {
    Map<String, Object> t = Experiment.copy(tree);
    Map<String, Object> section = new LinkedHashMap<>(Section.read(t.get("sampling"), "sampling"));
    section.putAll(sampling.values());
    t.put("sampling", section);
    List<Section.Instance> all = new ArrayList<>(instances);
    all.removeIf(i -> sampling.instances().stream().anyMatch(s -> s.kind() == i.kind()));
    all.addAll(sampling.instances());
    Manifest m = ManifestLoader.resolve(t, Engine.registry(pluginsFolder, all));
    Path target = dir.resolve(OutputPaths.SAMPLES).resolve(OutputPaths.freeSampleName(dir, m));
    OutputPaths.checkFolder(target, "the sample folder", false, OutputPaths.Input.run(dir));
    Map<String, Object> measured = org.diffuse4j.runtime.run.Experiment.sample(m, dir, target, log, Engine.SILENT);
    return new Samples(Engine.readRows(target.resolve("samples.npy")), Metrics.of(measured), target);
  }

  /**
   * The sliced Wasserstein distance of {@code samples} (n × dim) to the data draw the run's own
   * metrics use for n samples, and the distance between two data draws of n (the baseline): the
   * measure of {@code metrics.json}, for samples from anywhere (e.g. after your own post-processing).
   *
   * @param samples the samples, n rows of the data's width
   * @return the metrics
   */
  public Metrics evaluate(double[][] samples) {
    if (resolved == null) {
      resolved = ManifestLoader.resolve(Experiment.copy(tree), Engine.registry(pluginsFolder, instances));
    }
    Manifest m = resolved;
    DataSet data = m.data();
    double[] flat = Engine.flatten(samples, "the samples to evaluate");
    int n = samples.length;
    int dim = data.dim();
    if (samples[0].length != dim) {
      throw new OptionException("the samples have " + samples[0].length + " values per row but the run's data has " + dim);
    }
    int proj = m.output().projections();
    double[] reference = data.sample(m.seed() + org.diffuse4j.runtime.run.Experiment.REFERENCE_SEED, 0, n);
    double[] baseline = data.sample(m.seed() + org.diffuse4j.runtime.run.Experiment.BASELINE_SEED, 0, n);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("sliced_wasserstein", SlicedWasserstein.distance(flat, n, reference, n, dim, proj, m.seed()));
    out.put("sliced_wasserstein_baseline", SlicedWasserstein.distance(baseline, n, reference, n, dim, proj, m.seed()));
    out.put("samples", n);
    return Metrics.of(out);
  }


  private static Metrics readMetrics(Path dir) throws IOException {
    Path file = dir.resolve("metrics.json");
    if (!Files.isRegularFile(file)) {
      throw new OptionException("the run in " + dir + " has no metrics.json: it has not finished; finish it with "
          + "'diffuse4j run " + dir.resolve("manifest.yaml") + " --out " + dir + " --resume'");
    }
    return Metrics.of(JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() {}));
  }

  @Override
  public String toString() {
    return "run " + Objects.toString(dir);
  }
}
