package org.diffuse4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code convergence --plot} keeps an existing file unless --force is given. */
class ConvergencePlotOverwriteTest {
  @TempDir
  Path dir;

  private static int run(ByteArrayOutputStream err, String... args) {
    return Main.execute(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
  }

  @Test
  void existingPlotIsRefusedWithoutForceAndReplacedWithIt() throws Exception {
    Path png = dir.resolve("plot.png");
    byte[] mine = "my own file".getBytes(StandardCharsets.UTF_8);
    Files.write(png, mine);

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = run(err, "convergence", "--solver", "euler", "--schedule", "vp", "--steps", "4,8", "--plot", png.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--plot").contains("exists").contains("--force");
    assertThat(Files.readAllBytes(png)).isEqualTo(mine);

    int forced = run(new ByteArrayOutputStream(), "convergence", "--solver", "euler", "--schedule", "vp", "--steps", "4,8",
        "--plot", png.toString(), "--force");
    assertThat(forced).isEqualTo(0);
    byte[] drawn = Files.readAllBytes(png);
    // A PNG file starts with the 8-byte signature 0x89 'P' 'N' 'G'.
    assertThat(drawn[0] & 0xff).isEqualTo(0x89);
    assertThat(new String(drawn, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
  }
}
