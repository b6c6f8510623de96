package org.diffuse4j.runtime.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.runtime.manifest.ManifestLoader;

/** The manifest of a finished run folder, for commands that only resample it ({@code sample}, {@code reflow}). */
final class RunFolder {
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
    Map<String, Object> tree = ManifestLoader.read(manifestFile);
    for (String s : overrides) {
      if (!s.startsWith("sampling.") && !s.startsWith("guidance")) {
        throw new OptionException(command + " only changes sampling and guidance settings, not '" + s + "'; use 'run' to retrain");
      }
      ManifestLoader.override(tree, s);
    }
    return tree;
  }
}
