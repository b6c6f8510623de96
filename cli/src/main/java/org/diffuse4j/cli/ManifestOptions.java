package org.diffuse4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The manifest argument and {@code --set} overrides shared by {@code run} and {@code validate}. */
final class ManifestOptions {
  @Parameters(index = "0", paramLabel = "MANIFEST", description = "YAML manifest")
  Path manifest;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a manifest value, e.g. sampling.steps=20")
  List<String> overrides = new ArrayList<>();

  /** Reads, overrides and validates. */
  Manifest load(PluginRegistry registry) {
    Map<String, Object> tree = ManifestLoader.read(manifest);
    for (String s : overrides) {
      ManifestLoader.override(tree, s);
    }
    return ManifestLoader.resolve(tree, registry);
  }
}
