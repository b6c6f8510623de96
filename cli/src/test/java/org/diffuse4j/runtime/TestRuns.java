package org.diffuse4j.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffuse4j.cli.Main;

/** Helpers: a tiny manifest and in-process CLI calls with captured output. */
public final class TestRuns {
  private TestRuns() {}

  /** Exit code and captured streams of one CLI call. */
  public record Call(int code, String out, String err) {}

  /** A small two-moons manifest: 30 steps, batch 64, width 32, 8 sampling steps, 300 samples. */
  public static final String TINY = """
      data: two-moons
      network: {name: mlp, width: 32, depth: 2, time_embedding: 16}
      schedule: rectified-flow
      parameterisation: velocity
      objective: test-regression
      training: {steps: 30, batch_size: 64, lr: 0.003, log_every: 10}
      sampling: {solver: test-euler, grid: uniform, steps: 8, n: 300, batch_size: 100}
      seed: 7
      """;

  /**
   * {@code yaml} resolved with {@code objective} in place of its own: trainer tests with a probe objective.
   */
  public static org.diffuse4j.runtime.manifest.Manifest withObjective(String yaml, org.diffuse4j.api.Objective objective) {
    org.diffuse4j.runtime.manifest.Manifest m = org.diffuse4j.runtime.manifest.ManifestLoader.resolve(
        org.diffuse4j.runtime.manifest.ManifestLoader.parse(yaml, "test"),
        org.diffuse4j.runtime.plugins.PluginDiscovery.discover((Path) null));
    return new org.diffuse4j.runtime.manifest.Manifest(m.resolved(), m.top(), m.training(), m.sampling(), m.output(),
        m.data(), m.network(), m.schedule(), m.parameterisation(), objective, m.solver(), m.grid(), m.guidance());
  }

  /** {@link #TINY} on TrigFlow (schedule and parameterisation) with σ_d = {@code sigmaData}: the consistency models' runs. */
  public static String tinyOnTrigFlow(double sigmaData) {
    return TINY.replace("schedule: rectified-flow", "schedule: {name: trigflow, sigma_data: " + sigmaData + "}")
        .replace("parameterisation: velocity", "parameterisation: {name: trigflow, sigma_data: " + sigmaData + "}");
  }

  /** Runs the CLI in-process. */
  public static Call cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.execute(o, e, args);
    }
    return new Call(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Trains the {@link #TINY} manifest into {@code dir/name} and returns that run folder (fails the test if the run fails). */
  public static Path tinyRun(Path dir, String name) throws IOException {
    Path run = dir.resolve(name);
    Call c = cli("run", manifest(dir, TINY).toString(), "--out", run.toString());
    org.assertj.core.api.Assertions.assertThat(c.code()).as(c.err()).isZero();
    return run;
  }

  /** Writes a manifest file. */
  public static Path manifest(Path dir, String yaml) throws IOException {
    Path p = dir.resolve("m.yaml");
    Files.writeString(p, yaml);
    return p;
  }
}
