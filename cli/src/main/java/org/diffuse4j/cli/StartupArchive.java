package org.diffuse4j.cli;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Runs the read-only commands once, printing nothing, so that the launcher's class-data-sharing
 * archive ({@code -XX:ArchiveClassesAtExit}) holds the classes they load (docs/benchmarks.md, "Start-up").
 */
public final class StartupArchive {
  private StartupArchive() {}

  public static void main(String[] args) {
    PrintStream none = new PrintStream(OutputStream.nullOutputStream());
    String manifest = args.length > 0 ? args[0] : "examples/manifests/two-moons.yaml";
    Main.execute(none, none, "plugins");
    Main.execute(none, none, "describe", "solver", "euler");
    Main.execute(none, none, "inspect", "schedule", "vp", "--t", "0.5");
    Main.execute(none, none, "validate", manifest);
  }
}
