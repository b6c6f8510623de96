package org.diffuse4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.diffuse4j.api.io.AtomicFiles;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.plugins.PluginDiscovery;
import org.diffuse4j.runtime.train.Checkpoint;

/**
 * What every task of a job needs to rebuild the driver's manifest and open the run folder on its own:
 * the resolved manifest as YAML, the plugins folder and the run folder's URI, which a task opens
 * through Hadoop's file-system API (a local or shared path is used in place; any other file system,
 * e.g. HDFS or an object store, has its {@code checkpoint/} copied to a local temporary folder, and
 * the checkpoint's SHA-256 record is checked before it is restored, as on one machine).
 *
 * @param manifestYaml the resolved manifest tree as YAML
 * @param plugins the extra plugins folder, or null
 * @param runUri the run folder, e.g. {@code file:/…/run} or {@code hdfs://…/run}
 */
record TaskRun(String manifestYaml, String plugins, String runUri) implements Serializable {
  /** The job of a manifest tree and a run folder given as a local path. */
  static TaskRun of(Map<String, Object> manifest, Path plugins, Path runDir) {
    return new TaskRun(ManifestLoader.toYaml(manifest), plugins == null ? null : plugins.toString(),
        runDir == null ? null : runDir.toAbsolutePath().normalize().toUri().toString());
  }

  /** The manifest, resolved in this JVM with its own plugin discovery. */
  Manifest manifest() {
    return manifest(true);
  }

  /** The manifest; {@code sampledInGraph} as for {@link ManifestLoader#resolve(Map, PluginRegistry, boolean)}. */
  Manifest manifest(boolean sampledInGraph) {
    return ManifestLoader.resolve(ManifestLoader.parse(manifestYaml, "the job's manifest"), registry(), sampledInGraph);
  }

  /** The plugins, discovered in this JVM. */
  PluginRegistry registry() {
    return PluginDiscovery.discover(plugins == null ? null : Path.of(plugins));
  }

  /** Opens the run folder: a local folder holding its {@code checkpoint/} (none for an analytic manifest); close it when done. */
  OpenRun open() {
    if (runUri == null) {
      return new OpenRun(null, null);
    }
    try {
      URI uri = URI.create(runUri);
      FileSystem fs = FileSystem.get(uri, new Configuration());
      if ("file".equals(fs.getScheme())) {
        return new OpenRun(Path.of(uri), null);
      }
      Path copy = Files.createTempDirectory("diffuse4j-run-");
      org.apache.hadoop.fs.Path checkpoint = new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(uri), "checkpoint");
      if (fs.exists(checkpoint)) {
        fs.copyToLocalFile(false, checkpoint, new org.apache.hadoop.fs.Path(copy.resolve("checkpoint").toUri()), true);
      }
      return new OpenRun(copy, copy);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the run folder " + runUri + " from a Spark task: " + e.getMessage(), e);
    }
  }

  /** A run folder on the local disk (null: none); {@code copy} (a temporary copy to delete on close) or null. */
  record OpenRun(Path dir, Path copy) implements AutoCloseable {
    /** The run's checkpoint, or null without a run folder. */
    Checkpoint checkpoint() {
      return dir == null ? null : new Checkpoint(dir);
    }

    @Override
    public void close() throws IOException {
      if (copy != null) {
        AtomicFiles.deleteTree(copy);
      }
    }
  }
}
