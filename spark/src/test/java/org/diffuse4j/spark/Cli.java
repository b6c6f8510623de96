package org.diffuse4j.spark;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffuse4j.cli.Main;

/** In-process CLI calls with captured output, and the tiny trained run the Spark tests sample from. */
final class Cli {
  private Cli() {}

  /** Exit code and captured streams of one CLI call. */
  record Call(int code, String out, String err) {}

  /** Two-moons flow matching with a 2×32 MLP trained 30 steps; 250 samples in chunks of 40 (the last one padded). */
  static final String TINY = """
      data: two-moons
      network: {name: mlp, width: 32, depth: 2, time_embedding: 16}
      schedule: rectified-flow
      parameterisation: velocity
      objective: flow-matching
      training: {steps: 30, batch_size: 64, lr: 0.003, log_every: 10}
      sampling: {solver: heun, grid: uniform, steps: 6, n: 250, batch_size: 40}
      seed: 11
      """;

  static Call run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.execute(o, e, args);
    }
    return new Call(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Trains {@link #TINY} into {@code dir}/run; fails the test with the CLI's message if it cannot. */
  static Path trained(Path dir) throws Exception {
    Path manifest = Files.writeString(dir.resolve("m.yaml"), TINY);
    Path run = dir.resolve("run");
    Call c = run("run", manifest.toString(), "--out", run.toString());
    if (c.code() != 0) {
      throw new AssertionError("training the test run failed: " + c.err());
    }
    return run;
  }
}
