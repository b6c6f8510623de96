package org.diffuse4j.cli;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.Options;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.manifest.TrainingOptions;
import org.diffuse4j.runtime.run.Experiment;
import org.diffuse4j.runtime.run.OutputPaths;

/**
 * A run folder as the commands see it: the manifest of a trained run for those that only read it
 * ({@code sample}, {@code reflow}), and the checks {@code run} makes on its output folder before it
 * writes anything.
 */
final class RunFolder {
  /** Training settings a resume may change: they do not alter the steps already taken. */
  private static final List<String> RESUMABLE_TRAINING = List.of("steps", "log_every", "checkpoint_every");

  private RunFolder() {}

  /**
   * The run's manifest tree with {@code --set} overrides, which may only change sampling and
   * guidance: the weights in the folder belong to the rest.
   */
  static Map<String, Object> samplingTree(Path dir, List<String> overrides, String command) {
    Path manifestFile = dir.resolve("manifest.yaml");
    if (!Files.isRegularFile(manifestFile)) {
      throw new OptionException("'" + dir + "' is not a run folder: no manifest.yaml in it (run 'diffuse4j run MANIFEST' first)");
    }
    for (String s : overrides) {
      if (!s.startsWith("sampling.") && !s.startsWith("guidance")) {
        throw new OptionException(command + " only changes sampling and guidance settings, not '" + s + "'; use 'run' to retrain");
      }
    }
    Map<String, Object> tree = ManifestLoader.read(manifestFile);
    for (String s : overrides) {
      ManifestLoader.override(tree, s);
    }
    return tree;
  }

  /**
   * How {@code run} may start in {@code dir}: a new run in an absent or empty folder; a resume of the
   * run there (its settings checked against {@code m}); or, with {@code force}, a new run after the
   * old one is moved aside. Refuses a folder that holds something other than a run, whatever the flags.
   */
  static Experiment.Start start(Path dir, boolean resume, boolean force, Manifest m, PluginRegistry registry) {
    if (resume && force) {
      throw new OptionException("--resume continues the run in the folder and --force moves it aside: give one of them");
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new OptionException("the run folder " + dir + " is a file; choose another --out (or output.dir)");
    }
    boolean isRun = OutputPaths.isRunFolder(dir);
    if (Files.isDirectory(dir) && !isRun && !OutputPaths.isEmptyFolder(dir)) {
      throw new OptionException(dir + " exists and is not a Diffuse4J run folder (a run folder holds manifest.yaml with "
          + "run.log or checkpoint/; this one holds " + OutputPaths.someNames(dir) + "); nothing was written. Choose a new "
          + "or empty folder with --out (or output.dir)");
    }
    if (resume) {
      if (!isRun) {
        throw new OptionException("--resume: there is no run in " + dir + " to continue; start one without --resume");
      }
      requireSameTraining(dir, m, registry);
      return Experiment.Start.RESUME;
    }
    if (isRun) {
      if (!force) {
        throw new OptionException(dir + " already holds a run; nothing was changed. Add --resume to continue it, --force to move "
            + "it aside (to " + dir.toAbsolutePath().normalize().getFileName() + ".replaced-DATE-TIME) and start again, or choose "
            + "another --out");
      }
      return Experiment.Start.REPLACE;
    }
    return Experiment.Start.NEW;
  }

  /**
   * Refuses a resume whose manifest changes what the checkpoint was trained with: the seed,
   * precision, data, network, schedule, parameterisation, objective or training settings other
   * than steps, log_every and checkpoint_every (sampling, guidance and output may change).
   */
  static void requireSameTraining(Path dir, Manifest now, PluginRegistry registry) {
    Path stored = dir.resolve("manifest.yaml");
    Manifest before;
    try {
      before = ManifestLoader.resolve(ManifestLoader.read(stored), registry);
    } catch (OptionException e) {
      throw new OptionException("--resume: the run's own " + stored + " is not valid any more: " + e.getMessage());
    }
    Map<String, Object> a = before.resolved();
    Map<String, Object> b = now.resolved();
    List<String[]> changes = new ArrayList<>();
    compare(changes, "seed", a.get("seed"), b.get("seed"));
    compare(changes, "precision", a.get("precision"), b.get("precision"));
    for (Kind kind : List.of(Kind.DATA, Kind.NETWORK, Kind.SCHEDULE, Kind.PARAMETERISATION, Kind.OBJECTIVE)) {
      String key = kind.id();
      comparePlugin(changes, registry, kind, key, a.get(key), b.get(key));
    }
    TrainingOptions ta = before.training();
    TrainingOptions tb = now.training();
    for (RecordComponent rc : TrainingOptions.class.getRecordComponents()) {
      if (!RESUMABLE_TRAINING.contains(rc.getName())) {
        compare(changes, "training." + rc.getName(), value(rc, ta), value(rc, tb));
      }
    }
    if (changes.isEmpty()) {
      return;
    }
    StringBuilder what = new StringBuilder();
    StringBuilder fix = new StringBuilder();
    for (String[] c : changes) {
      what.append(what.length() == 0 ? "" : ", ").append(c[0]).append(": ").append(c[1]).append(" → ").append(c[2]);
      fix.append(" --set ").append(c[0]).append('=').append(c[1]);
    }
    boolean network = changes.stream().anyMatch(c -> c[0].startsWith("network"));
    throw new OptionException("--resume: the manifest changes what the run in " + dir + " was trained with (" + what
        + ")" + (network ? "; the checkpoint does not fit the changed network" : "")
        + ". Only training.steps (to grow), sampling, guidance and output may change on --resume; nothing was changed. "
        + "Resume with the run's values (" + fix.toString().trim() + ", or the run's own " + stored
        + "), or start a new run with another --out (or --force to move this one aside)");
  }

  /** Compares two plugin specs option by option (defaults filled in), by their manifest spelling. */
  private static void comparePlugin(List<String[]> changes, PluginRegistry registry, Kind kind, String key, Object a,
      Object b) {
    Map.Entry<String, Map<String, Object>> sa = Options.splitSpec(a, key);
    Map.Entry<String, Map<String, Object>> sb = Options.splitSpec(b, key);
    if (!sa.getKey().equals(sb.getKey())) {
      changes.add(new String[] {key, sa.getKey(), sb.getKey()});
      return;
    }
    Class<? extends Record> type = registry.provider(kind, sa.getKey(), key).optionsType();
    Record ra = Options.bind(type, sa.getValue(), key);
    Record rb = Options.bind(type, sb.getValue(), key);
    for (RecordComponent rc : type.getRecordComponents()) {
      compare(changes, key + "." + rc.getName(), value(rc, ra), value(rc, rb));
    }
  }

  private static void compare(List<String[]> changes, String key, Object a, Object b) {
    String sa = show(a);
    String sb = show(b);
    if (!Objects.equals(sa, sb)) {
      changes.add(new String[] {key, sa, sb});
    }
  }

  private static Object value(RecordComponent rc, Record r) {
    try {
      return rc.getAccessor().invoke(r);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A value as the manifest spells it, so 3 and 3.0 or an enum and its name compare equal. */
  private static String show(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Enum<?> e) {
      return Options.enumName(e);
    }
    if (v instanceof double[] d) {
      return Arrays.toString(d);
    }
    if (v instanceof int[] d) {
      return Arrays.toString(d);
    }
    if (v instanceof Number n && !(v instanceof Double || v instanceof Float)) {
      return Long.toString(n.longValue());
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
    if (v instanceof Map<?, ?> || v instanceof List<?>) {
      return ManifestLoader.toYaml(Map.of("v", v)).replaceFirst("^(---\\s*)?v:\\s*", "").trim().replaceAll("\\s+", " ");
    }
    return v.toString();
  }
}
