package org.diffuse4j.runtime.lib;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.runtime.graph.TensorFlowLogs;

/**
 * The entry point of the Java API: build an experiment ({@link #experiment()}), load a manifest
 * ({@link #load}), open a trained run ({@link #open}), list the installed plugins. Everything runs on
 * the engine of the {@code diffuse4j} command, so a run made here is a run folder like any other.
 */
public final class Diffuse4j {
  private Diffuse4j() {}

  /**
   * Shows TensorFlow's native log lines (its start-up notes such as "This TensorFlow binary is
   * optimized…", info and warning lines) or not, the default. Call it before the first run or
   * sampling: TensorFlow takes its level once per process. {@code TF_CPP_MIN_LOG_LEVEL} in the
   * environment, when set, wins.
   *
   * @param show whether to show them
   */
  public static void tensorFlowLogs(boolean show) {
    TensorFlowLogs.verbose(show);
  }

  /**
   * A new experiment builder ({@link Experiment#builder()}).
   *
   * @return a builder
   */
  public static Experiment.Builder experiment() {
    return Experiment.builder();
  }

  /**
   * A builder holding a manifest file's settings ({@link Experiment#load}).
   *
   * @param manifest the manifest file
   * @return a builder
   */
  public static Experiment.Builder load(Path manifest) {
    return Experiment.load(manifest);
  }

  /**
   * The finished run in {@code dir} ({@link Run#open(Path)}).
   *
   * @param dir the run folder
   * @return the run
   * @throws IOException when a file cannot be read or written
   */
  public static Run open(Path dir) throws IOException {
    return Run.open(dir);
  }

  /**
   * The names of the plugins on the classpath and in {@code $DIFFUSE4J_PLUGINS}, by kind (as {@code diffuse4j plugins}).
   *
   * @return the plugin names by kind
   */
  public static Map<Kind, List<String>> plugins() {
    Map<Kind, List<String>> out = new LinkedHashMap<>();
    var registry = Engine.registry(null, List.of());
    for (Kind k : Kind.values()) {
      out.put(k, List.copyOf(new ArrayList<>(registry.entries(k).keySet())));
    }
    return out;
  }

  /**
   * Writes rows (n × dim) to a new float64 {@code .npy} file, which the {@code npy} data plugin reads
   * back exactly: the manifest form of data held in memory. An existing file is never overwritten.
   *
   * @param file the file to write
   * @param rows the rows, each of the same length
   * @return {@code file}
   * @throws IOException when a file cannot be read or written
   */
  public static Path saveNpy(Path file, double[][] rows) throws IOException {
    if (Files.exists(file)) {
      throw new OptionException(file + " exists; saveNpy writes a new file only (choose another name or move it away)");
    }
    Npy.writeFloat64(file, Engine.flatten(rows, "the rows to save"), rows.length, rows[0].length);
    return file;
  }
}
