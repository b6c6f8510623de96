package org.diffuse4j.runtime.lib;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.diffuse4j.api.io.AtomicFiles;
import org.diffuse4j.api.model.ArrayData;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.run.OutputPaths;
import org.diffuse4j.runtime.train.Trainer;

/**
 * A validated experiment: what a manifest says (data, network, schedule, parameterisation, objective,
 * training, sampling, guidance, seed, output), built with {@link #builder()} or loaded from a manifest
 * with {@link #load}, checked exactly as {@code diffuse4j validate} checks a manifest. {@link #run}
 * trains and samples it into a run folder as {@code diffuse4j run} does; {@link #toYaml} is the
 * manifest that reproduces it. Immutable.
 */
public final class Experiment {
  /** Name of the data plugin that holds rows given from memory. */
  public static final String IN_MEMORY = "in-memory";

  private final Map<String, Object> tree;
  private final List<Section.Instance> instances;
  private final Path pluginsFolder;
  private final List<Consumer<TrainingStep>> listeners;
  private final PrintStream log;
  private final Manifest manifest;

  private Experiment(Builder b) {
    this.tree = b.tree();
    this.instances = b.allInstances();
    this.pluginsFolder = b.pluginsFolder;
    this.listeners = List.copyOf(b.listeners);
    this.log = b.log;
    this.manifest = ManifestLoader.resolve(copy(tree), registry());
  }

  /**
   * A builder with nothing set (every section at its default; the data must be given).
   *
   * @return this builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding the manifest file's settings; fails naming the file and the problem.
   *
   * @param manifest the manifest file
   * @return this builder
   */
  public static Builder load(Path manifest) {
    return new Builder().manifest(ManifestLoader.read(manifest));
  }

  /**
   * A builder holding the settings of manifest text (YAML).
   *
   * @param yaml the manifest text
   * @return this builder
   */
  public static Builder parse(String yaml) {
    return new Builder().manifest(ManifestLoader.parse(yaml, "(text)"));
  }

  /**
   * A builder with this experiment's settings, plugin instances, step callbacks and log.
   *
   * @return this builder
   */
  public Builder toBuilder() {
    Builder b = new Builder().manifest(copy(tree));
    b.instances.addAll(instances.stream().filter(i -> i.kind() != Kind.SOLVER && i.kind() != Kind.GRID).toList());
    b.sampling = b.sampling.withInstances(
        instances.stream().filter(i -> i.kind() == Kind.SOLVER || i.kind() == Kind.GRID).toList());
    b.pluginsFolder = pluginsFolder;
    b.listeners.addAll(listeners);
    b.log = log;
    return b;
  }

  /**
   * The manifest with every default filled in, as the run folder's {@code manifest.yaml}: running it
   * with {@code diffuse4j run} gives the same samples. Data given from memory cannot be written into a
   * manifest, so that fails naming the fix.
   *
   * @return the manifest as YAML text
   */
  public String toYaml() {
    if (instances.stream().anyMatch(i -> i.kind() == Kind.DATA && i.plugin().name().equals(IN_MEMORY))) {
      throw new OptionException("the data is held in memory, which a manifest cannot hold; write the rows to a file "
          + "with Diffuse4j.saveNpy(path, rows) and give data(\"npy\", Map.of(\"path\", path)) for a manifest that "
          + "reproduces the run");
    }
    return ManifestLoader.toYaml(manifest.resolved());
  }

  /**
   * Writes {@link #toYaml} to a new file; an existing file is never overwritten.
   *
   * @param file the file to write
   * @return {@code file}
   */
  public Path writeYaml(Path file) {
    if (Files.exists(file)) {
      throw new OptionException(file + " exists; a manifest is written to a new file only (choose another name or move it away)");
    }
    try {
      AtomicFiles.writeString(file, toYaml());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  /**
   * Trains and samples into the folder of {@code output.dir} (see {@link #run(Path)}).
   *
   * @return the run
   * @throws IOException when a file cannot be read or written
   */
  public Run run() throws IOException {
    return run(Path.of(manifest.output().dir()));
  }

  /**
   * Trains and samples into {@code dir}, a new or empty folder, exactly as {@code diffuse4j run}:
   * the resolved manifest, checkpoint, {@code samples.npy}, plots, {@code metrics.json} and
   * {@code run.log}. Step callbacks are told of every training step. A folder holding anything
   * is refused and left as it was ({@link #runReplacing} moves an old run aside).
   *
   * @param dir the run folder
   * @return the run
   * @throws IOException when a file cannot be read or written
   */
  public Run run(Path dir) throws IOException {
    return start(dir, false);
  }

  /**
   * As {@link #run(Path)}, but a run already in {@code dir} is first moved aside (to
   * DIR.replaced-DATE-TIME), as {@code run --force} does.
   *
   * @param dir the run folder
   * @return the run
   * @throws IOException when a file cannot be read or written
   */
  public Run runReplacing(Path dir) throws IOException {
    return start(dir, true);
  }

  private Run start(Path dir, boolean replace) throws IOException {
    OutputPaths.requireNotBlank(dir.toString(), "the run folder", "the run", "run(Path.of(\"runs/my-run\"))");
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new OptionException("the run folder " + dir + " is a file; choose another folder");
    }
    boolean isRun = OutputPaths.isRunFolder(dir);
    if (Files.isDirectory(dir) && !isRun && !OutputPaths.isEmptyFolder(dir)) {
      throw new OptionException(dir + " exists and is not a Diffuse4J run folder (it holds " + OutputPaths.someNames(dir)
          + "); nothing was written. Choose a new or empty folder");
    }
    if (isRun && !replace) {
      throw new OptionException(dir + " already holds a run; nothing was changed. Choose a new folder, or call "
          + "runReplacing(dir) to move the old run aside and start again");
    }
    org.diffuse4j.runtime.run.Experiment.Start start =
        isRun ? org.diffuse4j.runtime.run.Experiment.Start.REPLACE : org.diffuse4j.runtime.run.Experiment.Start.NEW;
    Trainer.StepListener listener = listeners.isEmpty() ? null : (step, loss, lr, seconds) -> {
      TrainingStep s = new TrainingStep(step, loss, lr, seconds);
      listeners.forEach(l -> l.accept(s));
    };
    Map<String, Object> metrics = org.diffuse4j.runtime.run.Experiment.run(manifest, dir, start, log, Engine.SILENT, listener);
    return new Run(dir, tree, instances, pluginsFolder, log, Metrics.of(metrics), manifest);
  }

  /**
   * The master seed.
   *
   * @return the master seed
   */
  public long seed() {
    return manifest.seed();
  }

  /**
   * The training section as set (unset keys are at their defaults).
   *
   * @return these settings with the change
   */
  public Training training() {
    return Training.of(tree.get("training"));
  }

  /**
   * The sampling section as set.
   *
   * @return these settings with the change
   */
  public Sampling sampling() {
    return Sampling.of(tree.get("sampling"));
  }

  /** The validated manifest the engine runs. */
  Manifest manifest() {
    return manifest;
  }

  private PluginRegistry registry() {
    return Engine.registry(pluginsFolder, instances);
  }

  /** A deep copy of a manifest tree (maps and lists), so nothing the engine does reaches ours. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> copy(Map<String, Object> tree) {
    Map<String, Object> out = new LinkedHashMap<>();
    tree.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> m ? copy((Map<String, Object>) m)
        : v instanceof List<?> l ? new ArrayList<>(l) : v));
    return out;
  }

  /**
   * Sets what a manifest says, section by section; {@link #build} validates it all. Plugins are given
   * by name, by name with options, or as instances ({@link Plugin}); data also from memory.
   */
  public static final class Builder {
    private final Map<String, Object> top = new LinkedHashMap<>();
    private final List<Section.Instance> instances = new ArrayList<>();
    private Training training = Training.defaults();
    private Sampling sampling = Sampling.defaults();
    private Path pluginsFolder;
    private final List<Consumer<TrainingStep>> listeners = new ArrayList<>();
    private PrintStream log = Engine.SILENT;

    private Builder() {}

    /** Takes over every key of a manifest tree. */
    private Builder manifest(Map<String, Object> tree) {
      tree.forEach((k, v) -> {
        switch (k) {
          case "training" -> training = Training.of(v);
          case "sampling" -> sampling = Sampling.of(v);
          default -> top.put(k, v);
        }
      });
      return this;
    }

    private Builder plugin(String key, Kind kind, Plugin p) {
      Objects.requireNonNull(p, key);
      top.put(key, p.spec());
      instances.removeIf(i -> i.kind() == kind);
      if (p.instance() != null) {
        instances.add(new Section.Instance(kind, p));
      }
      return this;
    }

    /**
     * The data plugin by name (e.g. {@code two-moons}).
     *
     * @param name the plugin's name, as {@code diffuse4j plugins} lists it
     * @return this builder
     */
    public Builder data(String name) {
      return data(Plugin.named(name));
    }

    /**
     * The data plugin by name with options (e.g. {@code npy} with {@code path}).
     *
     * @param name the plugin's name, as {@code diffuse4j plugins} lists it
     * @param options its options, keyed as in the manifest
     * @return this builder
     */
    public Builder data(String name, Map<String, ?> options) {
      return data(Plugin.named(name, options));
    }

    /**
     * The data plugin, by name or as an instance (a {@code DataSet}).
     *
     * @param data the data plugin
     * @return this builder
     */
    public Builder data(Plugin data) {
      return plugin("data", Kind.DATA, data);
    }

    /**
     * Training data from memory: N rows of D values (rows drawn with replacement by (seed, row index)).
     *
     * @param rows the rows, each of the same length
     * @return this builder
     */
    public Builder data(double[][] rows) {
      return data(rows, null);
    }

    /**
     * Labelled training data from memory: N rows and N class labels 0 … K−1 (the condition of class-conditional networks).
     *
     * @param rows the rows, each of the same length
     * @param labels one class label per row, 0 … K−1 (null: unlabelled)
     * @return this builder
     */
    public Builder data(double[][] rows, int[] labels) {
      double[] flat = Engine.flatten(rows, "the in-memory data");
      return data(Plugin.instance(IN_MEMORY, new ArrayData(flat, rows[0].length, labels, "the in-memory data")));
    }

    /**
     * Training data from memory as float rows.
     *
     * @param rows the rows, each of the same length
     * @return this builder
     */
    public Builder data(float[][] rows) {
      if (rows == null) {
        return data((double[][]) null);
      }
      double[][] wide = new double[rows.length][];
      for (int i = 0; i < rows.length; i++) {
        wide[i] = rows[i] == null ? null : new double[rows[i].length];
        for (int j = 0; wide[i] != null && j < wide[i].length; j++) {
          wide[i][j] = rows[i][j];
        }
      }
      return data(wide);
    }

    /**
     * Training data from an iterator of rows, read once to its end and held in memory.
     *
     * @param rows the rows, each of the same length
     * @return this builder
     */
    public Builder data(Iterator<double[]> rows) {
      List<double[]> all = new ArrayList<>();
      rows.forEachRemaining(r -> all.add(r == null ? null : r.clone()));
      return data(all.toArray(new double[0][]));
    }

    /**
     * The network plugin by name (e.g. {@code mlp}).
     *
     * @param name the plugin's name, as {@code diffuse4j plugins} lists it
     * @return this builder
     */
    public Builder network(String name) {
      return network(Plugin.named(name));
    }

    /**
     * The network plugin by name with options (e.g. {@code width}, {@code depth}).
     *
     * @param name the plugin's name, as {@code diffuse4j plugins} lists it
     * @param options its options, keyed as in the manifest
     * @return this builder
     */
    public Builder network(String name, Map<String, ?> options) {
      return network(Plugin.named(name, options));
    }

    /**
     * The network plugin, by name or as an instance (a {@code NetworkFactory}).
     *
     * @param network the network plugin
     * @return this builder
     */
    public Builder network(Plugin network) {
      return plugin("network", Kind.NETWORK, network);
    }

    /**
     * The noise schedule by name (e.g. {@code rectified-flow}, {@code vp}).
     *
     * @param name the plugin's name, as {@code diffuse4j plugins} lists it
     * @return this builder
     */
    public Builder schedule(String name) {
      return schedule(Plugin.named(name));
    }

    /**
     * The noise schedule, by name with options or as an instance (a {@code Schedule}).
     *
     * @param schedule the schedule plugin
     * @return this builder
     */
    public Builder schedule(Plugin schedule) {
      return plugin("schedule", Kind.SCHEDULE, schedule);
    }

    /**
     * What the network predicts, by name (e.g. {@code velocity}, {@code epsilon}).
     *
     * @param name the plugin's name, as {@code diffuse4j plugins} lists it
     * @return this builder
     */
    public Builder parameterisation(String name) {
      return parameterisation(Plugin.named(name));
    }

    /**
     * What the network predicts, by name with options or as an instance (a {@code Parameterisation}).
     *
     * @param parameterisation the parameterisation plugin
     * @return this builder
     */
    public Builder parameterisation(Plugin parameterisation) {
      return plugin("parameterisation", Kind.PARAMETERISATION, parameterisation);
    }

    /**
     * The training objective by name (e.g. {@code flow-matching}).
     *
     * @param name the plugin's name, as {@code diffuse4j plugins} lists it
     * @return this builder
     */
    public Builder objective(String name) {
      return objective(Plugin.named(name));
    }

    /**
     * The training objective, by name with options or as an instance (an {@code Objective}).
     *
     * @param objective the objective plugin
     * @return this builder
     */
    public Builder objective(Plugin objective) {
      return plugin("objective", Kind.OBJECTIVE, objective);
    }

    /**
     * The guidance by name ({@code none}: the model as is).
     *
     * @param name the plugin's name, as {@code diffuse4j plugins} lists it
     * @return this builder
     */
    public Builder guidance(String name) {
      return guidance(Plugin.named(name));
    }

    /**
     * The guidance, by name with options or as an instance (a {@code Guidance}).
     *
     * @param guidance the guidance plugin
     * @return this builder
     */
    public Builder guidance(Plugin guidance) {
      return plugin("guidance", Kind.GUIDANCE, guidance);
    }

    /**
     * The training section.
     *
     * @param training the training section
     * @return this builder
     */
    public Builder training(Training training) {
      this.training = Objects.requireNonNull(training, "training");
      return this;
    }

    /**
     * The sampling section (what {@link Experiment#run} samples; a {@link Run} samples again with others).
     *
     * @param sampling the sampling settings
     * @return this builder
     */
    public Builder sampling(Sampling sampling) {
      this.sampling = Objects.requireNonNull(sampling, "sampling");
      return this;
    }

    /**
     * The master seed: initial weights, training batches, sampling noise.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      top.put("seed", seed);
      return this;
    }

    /**
     * Floating precision of the graphs (float32 by default).
     *
     * @param precision the precision
     * @return this builder
     */
    public Builder precision(Precision precision) {
      top.put("precision", org.diffuse4j.api.plugin.Options.enumName(precision));
      return this;
    }

    /**
     * The run folder {@link Experiment#run()} writes ({@code output.dir}).
     *
     * @param dir the run folder
     * @return this builder
     */
    public Builder output(Path dir) {
      return outputKey("dir", dir.toString());
    }

    /**
     * Random projections of the sliced Wasserstein metric ({@code output.projections}).
     *
     * @param projections the number of projections
     * @return this builder
     */
    public Builder projections(int projections) {
      return outputKey("projections", projections);
    }

    private Builder outputKey(String key, Object value) {
      Map<String, Object> out = new LinkedHashMap<>(Section.read(top.get("output"), "output"));
      out.put(key, value);
      top.put("output", out);
      return this;
    }

    /**
     * Also look for plugin jars in {@code folder} (as {@code --plugins DIR}).
     *
     * @param folder a folder of plugin jars
     * @return this builder
     */
    public Builder plugins(Path folder) {
      this.pluginsFolder = folder;
      return this;
    }

    /**
     * Calls {@code callback} after every training step (an exception from it stops training).
     *
     * @param callback the callback
     * @return this builder
     */
    public Builder onStep(Consumer<TrainingStep> callback) {
      listeners.add(Objects.requireNonNull(callback, "callback"));
      return this;
    }

    /**
     * Where the run's log lines go besides run.log (none by default; e.g. {@code System.out}).
     *
     * @param log the stream of the log lines
     * @return this builder
     */
    public Builder log(PrintStream log) {
      this.log = Objects.requireNonNull(log, "log");
      return this;
    }

    /**
     * The training section as set so far.
     *
     * @return these settings with the change
     */
    public Training training() {
      return training;
    }

    /**
     * The sampling section as set so far.
     *
     * @return these settings with the change
     */
    public Sampling sampling() {
      return sampling;
    }

    /** The manifest tree as set so far (unset keys absent). */
    Map<String, Object> tree() {
      Map<String, Object> out = new LinkedHashMap<>(top);
      if (!training.values().isEmpty()) {
        out.put("training", training.values());
      }
      if (!sampling.values().isEmpty()) {
        out.put("sampling", sampling.values());
      }
      return Collections.unmodifiableMap(copy(out));
    }

    List<Section.Instance> allInstances() {
      List<Section.Instance> all = new ArrayList<>(instances);
      all.addAll(sampling.instances());
      return List.copyOf(all);
    }

    /**
     * Validates everything and builds every plugin, as {@code diffuse4j validate}; fails on the first problem, naming its key.
     *
     * @return the experiment
     */
    public Experiment build() {
      if (!top.containsKey("data")) {
        throw new OptionException("no data: give data(\"two-moons\"), another data plugin, or rows with data(double[][])");
      }
      return new Experiment(this);
    }
  }
}
