package org.diffuse4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.diffuse4j.runtime.TestRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime alone has no Spark: {@code --spark} names the module to add and how, before any work. */
class ScaleOutMissingTest {
  @TempDir Path tmp;

  @Test
  void sparkWithoutTheModuleNamesTheFix() {
    TestRuns.Call c = TestRuns.cli("sample", tmp.resolve("run").toString(), "--spark", "local[2]");
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err()).contains("--spark needs the diffuse4j-spark module", "./diffuse4j", "docs/scale-out.md");
  }
}
