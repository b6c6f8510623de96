package org.diffuse4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A plugins folder named like a command ('plugins', 'run') is taken as the option's value. */
class PluginsFolderNamedLikeCommandTest {
  @Test
  void folderNamedPluginsIsTheOptionValueNotACommand() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    // The test's working directory (runtime/) has no folder 'plugins': the command must get as far as
    // checking that folder instead of failing to parse.
    Main.execute(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        "--plugins", "plugins", "plugins");
    String error = err.toString(StandardCharsets.UTF_8);
    assertThat(error).doesNotContain("Expected parameter for option '--plugins'");
    assertThat(error).contains("plugins folder 'plugins'");
  }
}
