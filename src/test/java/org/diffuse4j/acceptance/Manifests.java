package org.diffuse4j.acceptance;

import java.nio.file.Path;

/** The example manifests shipped in examples/manifests. */
final class Manifests {
  private Manifests() {}

  static Path twoMoons() {
    return ThirdPartyJar.repoRoot().resolve("examples/manifests/two-moons.yaml");
  }
}
