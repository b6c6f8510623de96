package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad manifests fail before any work, naming the key, with the closest match; no stack traces. */
class ManifestErrorsTest {
  @TempDir Path tmp;

  private Path variant(String from, String to) throws Exception {
    String text = Files.readString(Manifests.twoMoons());
    assertThat(text).contains(from);
    Path m = tmp.resolve("m.yaml");
    Files.writeString(m, text.replace(from, to));
    return m;
  }

  @Test
  void theExampleManifestIsValid() {
    Cli c = Cli.run("validate", Manifests.twoMoons().toString());
    assertThat(c.code()).as(c.err()).isZero();
  }

  @Test
  void aTypoIsNamedWithTheClosestKey() throws Exception {
    Cli c = Cli.run("validate", variant("  solver: heun", "  sover: heun").toString());
    assertThat(c.code()).isNotZero();
    assertThat(c.err()).contains("sover", "did you mean", "solver").doesNotContain("\tat ");
  }

  @Test
  void aTopLevelTypoIsNamedToo() throws Exception {
    Cli c = Cli.run("validate", variant("sampling:", "sampeling:").toString());
    assertThat(c.code()).isNotZero();
    assertThat(c.err()).contains("sampeling", "did you mean 'sampling'");
  }

  @Test
  void anOutOfRangeValueNamesTheKey() throws Exception {
    Cli c = Cli.run("validate", variant("  steps: 50\n", "  steps: -1\n").toString());
    assertThat(c.code()).isNotZero();
    assertThat(c.err()).contains("sampling.steps", "-1", "out of range");
  }

  @Test
  void aWrongTypeNamesTheKey() throws Exception {
    Cli c = Cli.run("validate", variant("  batch_size: 1024", "  batch_size: lots").toString());
    assertThat(c.code()).isNotZero();
    assertThat(c.err()).contains("training.batch_size", "lots");
  }

  @Test
  void anUnknownPluginListsTheAvailableOnes() throws Exception {
    Cli c = Cli.run("validate", Manifests.twoMoons().toString(), "--set", "sampling.solver=hune");
    assertThat(c.code()).isNotZero();
    assertThat(c.err()).contains("unknown solver 'hune'", "did you mean 'heun'");
  }

  @Test
  void aMissingManifestFailsClearly() {
    Path missing = tmp.resolve("nope.yaml");
    Cli c = Cli.run("run", missing.toString());
    assertThat(c.code()).isNotZero();
    assertThat(c.err()).contains(missing.toString()).doesNotContain("\tat ");
  }
}
