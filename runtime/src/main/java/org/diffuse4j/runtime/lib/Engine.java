package org.diffuse4j.runtime.lib;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.api.plugin.NoOptions;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.PluginInfo;
import org.diffuse4j.api.plugin.PluginProvider;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.runtime.plugins.PluginDiscovery;

/** What the facade's classes share: plugin discovery (once per plugins folder), instance plugins, row tables. */
final class Engine {
  private static final Map<Path, PluginRegistry> DISCOVERED = new HashMap<>();
  /** A stream that drops everything (the default log, and the console of progress bars). */
  static final PrintStream SILENT = new PrintStream(OutputStream.nullOutputStream());

  private Engine() {}

  /**
   * The plugins on the classpath and in {@code folder} (null: {@code $DIFFUSE4J_PLUGINS} or none), plus
   * {@code instances}, each under its name; an instance named like an installed plugin fails naming both.
   */
  static PluginRegistry registry(Path folder, Collection<Section.Instance> instances) {
    Path f = PluginDiscovery.pluginsFolder(folder);
    PluginRegistry base;
    synchronized (DISCOVERED) {
      base = DISCOVERED.computeIfAbsent(f == null ? Path.of("") : f, k -> PluginDiscovery.discover(f));
    }
    if (instances.isEmpty()) {
      return base;
    }
    PluginRegistry out = new PluginRegistry();
    base.all().forEach(e -> out.add(e.provider(), e.source()));
    for (Section.Instance i : instances) {
      Object plugin = i.plugin().instance();
      PluginInfo info;
      try {
        info = new PluginInfo(i.kind(), i.plugin().name(), "an instance given in Java: " + plugin.getClass().getName(), "");
      } catch (IllegalArgumentException e) {
        throw new OptionException("the " + i.kind().id() + " instance's " + e.getMessage());
      }
      out.add(PluginProvider.of(info, NoOptions.class, o -> plugin), "the Java API (" + plugin.getClass().getName() + ")");
    }
    return out;
  }

  /** A rectangular table as row-major values; a ragged or empty one fails naming the row. */
  static double[] flatten(double[][] rows, String what) {
    if (rows == null || rows.length == 0 || rows[0] == null || rows[0].length == 0) {
      throw new OptionException(what + " is empty; give at least one row of at least one value");
    }
    int dim = rows[0].length;
    double[] out = new double[rows.length * dim];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] == null || rows[i].length != dim) {
        throw new OptionException(what + ": row " + i + " has " + (rows[i] == null ? "no" : rows[i].length)
            + " values but row 0 has " + dim + "; every row needs the same number of values");
      }
      System.arraycopy(rows[i], 0, out, i * dim, dim);
    }
    return out;
  }

  /** Row-major values as n rows of dim. */
  static double[][] rows(double[] values, int dim) {
    double[][] out = new double[values.length / dim][];
    for (int i = 0; i < out.length; i++) {
      out[i] = java.util.Arrays.copyOfRange(values, i * dim, (i + 1) * dim);
    }
    return out;
  }

  /** The rows of a 2-D .npy file (e.g. samples.npy). */
  static double[][] readRows(Path npy) throws IOException {
    Npy.Array a = Npy.read(npy);
    if (a.shape().length != 2) {
      throw new IOException(npy + " holds an array of " + a.shape().length + " dimensions; expected rows × values");
    }
    return rows(a.data(), a.shape()[1]);
  }
}
