package org.diffuse4j.runtime.likelihood;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TimeGrid;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.train.Checkpoint;

/**
 * What the {@code likelihood} and {@code encode} commands read: the manifest (a file, or a run
 * folder's {@code manifest.yaml} with its checkpoint), the increasing integration grid and the data.
 */
public final class Inputs {
  /** Seed offset of the data drawn from the manifest's data set: a draw training never used. */
  public static final long DATA_SEED = 3_000_017L;

  private Inputs() {}

  /** A validated manifest and, for a run folder, its checkpoint (null for a plain manifest). */
  public record Target(Manifest manifest, Checkpoint checkpoint) {}

  /** Reads a run folder or a manifest file and applies {@code --set} overrides. */
  public static Target target(Path runDirOrManifest, List<String> overrides, PluginRegistry registry) {
    Path file = runDirOrManifest;
    Checkpoint checkpoint = null;
    if (Files.isDirectory(runDirOrManifest)) {
      file = runDirOrManifest.resolve("manifest.yaml");
      checkpoint = new Checkpoint(runDirOrManifest);
      if (!Files.isRegularFile(file)) {
        throw new OptionException("'" + runDirOrManifest + "' is a folder without manifest.yaml: not a run folder");
      }
    } else if (!Files.isRegularFile(runDirOrManifest)) {
      throw new OptionException("no such run folder or manifest: " + runDirOrManifest.toAbsolutePath());
    }
    Map<String, Object> tree = ManifestLoader.read(file);
    for (String s : overrides) {
      ManifestLoader.override(tree, s);
    }
    return new Target(ManifestLoader.resolve(tree, registry, false), checkpoint);
  }

  /**
   * Default start of the integration: 1e-5 (Song et al. 2021's ε for likelihoods), or the
   * schedule's own t_min when that exceeds 1e-3 (VE/EDM-style schedules whose σ vanishes fast).
   */
  public static double defaultTMin(Schedule s) {
    return s.tMin() > 1e-3 ? s.tMin() : 1e-5;
  }

  /** Increasing times t_min … t_max: the {@code grid} plugin's times with these bounds, reversed. */
  public static double[] increasingTimes(PluginRegistry registry, String grid, Schedule schedule, int steps,
      double tMin, double tMax) {
    if (steps < 1) {
      throw new OptionException("--steps must be >= 1, got " + steps);
    }
    if (!(tMin > 0) || !(tMax <= 1) || !(tMin < tMax)) {
      throw new OptionException("need 0 < --t-min < --t-max <= 1, got " + tMin + ", " + tMax);
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("name", grid);
    spec.put("t_min", tMin);
    spec.put("t_max", tMax);
    TimeGrid g = registry.create(Kind.GRID, spec, "--grid");
    double[] down;
    try {
      down = g.times(schedule, steps);
    } catch (IllegalArgumentException e) {
      throw new OptionException("--grid " + grid + ": " + e.getMessage());
    }
    double[] up = new double[down.length];
    for (int i = 0; i < up.length; i++) {
      up[i] = down[down.length - 1 - i];
    }
    return up;
  }

  /**
   * Rows to evaluate: the .npy file (n × dim, or n × … with dim values per row; at most
   * {@code limit} rows when limit &gt; 0), else {@code n} fresh draws of the manifest's data set.
   */
  public static double[] data(Path file, Manifest m, int n, int limit) throws IOException {
    int dim = m.data().dim();
    if (file == null) {
      if (n < 1) {
        throw new OptionException("--n must be >= 1, got " + n);
      }
      return m.data().sample(m.seed() + DATA_SEED, 0, n);
    }
    Npy.Array a = Npy.readInput(file, "--data");
    int[] s = a.shape();
    int per = 1;
    for (int i = 1; i < s.length; i++) {
      per *= s[i];
    }
    if (s.length < 2 || per != dim || s[0] < 1) {
      throw new OptionException("--data: " + file + " has shape " + Arrays.toString(s) + ", expected [n, " + dim
          + "] (the manifest's data has " + dim + " values per row)");
    }
    int rows = limit > 0 ? Math.min(limit, s[0]) : s[0];
    return Arrays.copyOf(a.data(), rows * dim);
  }
}
