package org.diffuse4j.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.diffuse4j.api.plugin.OptionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputPathsTest {
  @TempDir Path tmp;

  @Test
  void aRunFolderIsAManifestWithItsLogOrCheckpoint() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("r"));
    assertThat(OutputPaths.isRunFolder(dir)).isFalse();
    Files.writeString(dir.resolve("manifest.yaml"), "data: two-moons\n");
    assertThat(OutputPaths.isRunFolder(dir)).as("a user's folder with a manifest in it").isFalse();
    Files.writeString(dir.resolve("run.log"), "");
    assertThat(OutputPaths.isRunFolder(dir)).isTrue();
    Files.delete(dir.resolve("run.log"));
    Files.createDirectories(dir.resolve("checkpoint"));
    assertThat(OutputPaths.isRunFolder(dir)).isTrue();
  }

  @Test
  void realPathsSeeThroughLinksAndDotDotEvenForFilesThatDoNotExistYet() throws Exception {
    Path real = Files.createDirectories(tmp.resolve("real"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
    Files.createDirectories(tmp.resolve("a"));
    assertThat(OutputPaths.real(link.resolve("new.npy"))).isEqualTo(real.toRealPath().resolve("new.npy"));
    assertThat(OutputPaths.real(tmp.resolve("a/../link/x/y.npy"))).isEqualTo(real.toRealPath().resolve("x/y.npy"));
  }

  @Test
  void anOutputIsNeverAnInputNorHoldsOneNorIsARunsOwnFile() throws Exception {
    Path run = Files.createDirectories(tmp.resolve("run"));
    Path data = Files.writeString(tmp.resolve("x.npy"), "x");
    OutputPaths.Input[] inputs = {OutputPaths.Input.run(run), OutputPaths.Input.file("--data", data)};
    assertThatThrownBy(() -> OutputPaths.checkNotInput(tmp.resolve("run/../x.npy"), "--out", inputs))
        .isInstanceOf(OptionException.class).hasMessageContaining("is --data");
    assertThatThrownBy(() -> OutputPaths.checkNotInput(tmp, "--out", inputs)).hasMessageContaining("holds the run folder");
    assertThatThrownBy(() -> OutputPaths.checkNotInput(run.resolve("checkpoint/variables.index"), "--out", inputs))
        .hasMessageContaining("part of the run folder");
    assertThatThrownBy(() -> OutputPaths.checkNotInput(run.resolve("samples"), "--out", inputs))
        .hasMessageContaining("part of the run folder");
    OutputPaths.checkNotInput(run.resolve("samples/heun-uniform-8"), "--out", inputs); // a new folder in the run: fine
    OutputPaths.checkNotInput(run.resolve("latents.npy"), "--out", inputs);
  }

  @Test
  void aReplacedFolderIsMovedAsideUnderAFreeNameNeverDeleted() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(out.resolve("a.txt"), "first");
    Path staged = OutputPaths.staging(out);
    Files.writeString(staged.resolve("b.txt"), "second");
    Path aside = OutputPaths.publish(staged, out);
    assertThat(aside.getFileName().toString()).matches("out\\.replaced-\\d{8}-\\d{6}");
    assertThat(Files.readString(aside.resolve("a.txt"))).isEqualTo("first");
    assertThat(Files.readString(out.resolve("b.txt"))).isEqualTo("second");
    assertThat(staged).doesNotExist();

    Path again = OutputPaths.moveAside(out); // within the same second: a counter keeps the names apart
    assertThat(again).isNotEqualTo(aside);
    assertThat(Files.readString(again.resolve("b.txt"))).isEqualTo("second");

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Path s2 = OutputPaths.staging(empty);
    assertThat(OutputPaths.publish(s2, empty)).as("an empty folder is simply replaced").isNull();
    try (Stream<Path> list = Files.list(tmp)) {
      assertThat(list.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("empty.replaced"));
    }
  }
}
