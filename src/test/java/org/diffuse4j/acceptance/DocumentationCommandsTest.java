package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, "Documentation that runs": every fenced shell block of README.md and docs/*.md runs as
 * written on a fresh clone (DocsRunner, in one JVM whose working folder is a scratch folder), except
 * what a {@code <!-- docs-test: ... -->} marker above the block makes smaller or skips with a reason
 * (DocBlocks). A failure names the file, the line and the command. docs/reliability.md section 5
 * describes it; {@code -Ddocs.only=TEXT} runs only the files whose path contains TEXT.
 */
class DocumentationCommandsTest {
  @TempDir Path tmp;

  @Test
  void everyShellBlockOfTheDocsRuns() throws Exception {
    Path root = ThirdPartyJar.repoRoot();
    int blocks = 0;
    for (Path doc : DocBlocks.documents(root)) {
      blocks += DocBlocks.parse(root.relativize(doc).toString(), Files.readAllLines(doc)).size(); // markers parse
    }
    assertThat(blocks).as("shell blocks in README.md and docs/*.md").isGreaterThan(10);

    Path work = Files.createDirectories(tmp.resolve("work"));
    Path report = tmp.resolve("report.tsv");
    Path log = tmp.resolve("runner.log");
    List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.awt.headless=true", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dorg.bytedeco.javacpp.maxBytes=0",
        "-Ddocs.only=" + System.getProperty("docs.only", ""), "-cp", System.getProperty("java.class.path"), DocsRunner.class.getName(), root.toString(), report.toString()));
    ProcessBuilder pb = new ProcessBuilder(java).directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    pb.environment().put("DIFFUSE4J_CACHE", tmp.resolve("cache").toString());
    pb.environment().remove("DIFFUSE4J_PLUGINS");
    Process p = pb.start();
    boolean finished = p.waitFor(10, TimeUnit.MINUTES);
    if (!finished) {
      p.destroyForcibly();
    }
    assertThat(finished).as("the docs' commands finish within 10 minutes; log:\n" + Files.readString(log)).isTrue();
    assertThat(report).as("runner exit " + p.exitValue() + "; log:\n" + Files.readString(log)).isRegularFile();

    List<String> failures = new ArrayList<>();
    int ok = 0;
    int skipped = 0;
    for (String line : Files.readAllLines(report)) {
      String[] f = line.split("\t", 4);
      switch (f[0]) {
        case "OK" -> ok++;
        case "SKIP" -> skipped++;
        default -> failures.add(f[1] + ": " + f[2] + "\n    " + f[3].replace("\\n", "\n    "));
      }
      System.out.println(line);
    }
    System.out.printf("docs commands: %d ran, %d skipped by markers, %d failed%n", ok, skipped, failures.size());
    assertThat(failures).as("commands of the docs that fail (file:line: command, then what it printed)").isEmpty();
    if (System.getProperty("docs.only") == null) { // one file alone may be mostly skipped blocks (scale-out: --spark)
      assertThat(ok).as("commands run against commands skipped by markers, over all the docs").isGreaterThan(skipped);
    }
  }
}
