package org.diffuse4j.runtime.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import org.diffuse4j.runtime.TestRuns;
import org.diffuse4j.runtime.plot.Plots;
import org.diffuse4j.runtime.tensorboard.SummaryFile;

/**
 * A runs folder for the viewer's tests: "moons" (a real finished run with a sample folder),
 * "moons-vp" (the same with another schedule in its manifest), "live" (files still changing, no
 * metrics), "broken" (stopped an hour ago without metrics), and traps outside the root: a run
 * folder reached by a symbolic link and a symbolic link to a secret file.
 */
final class ExampleRuns {
  static final String SECRET = "top-secret-outside-the-runs-folder";

  private ExampleRuns() {}

  /** A tiny Fashion-MNIST run (an MLP, a few steps: the grid shows classes, not good samples). */
  static final String FASHION = """
      data: fashion-mnist
      network: {name: mlp, width: 64, depth: 2, time_embedding: 16, num_classes: 10}
      schedule: rectified-flow
      parameterisation: velocity
      objective: test-regression
      training: {steps: 40, batch_size: 32, lr: 0.002, log_every: 10}
      sampling: {solver: test-euler, grid: uniform, steps: 6, n: 40, batch_size: 40, label: all}
      seed: 5
      """;

  /** The runs above plus "fashion-mnist", a real run on image data. */
  static Path createWithFashion(Path base) throws IOException {
    Path runs = create(base);
    Path m = base.resolve("fashion.yaml");
    Files.writeString(m, FASHION);
    TestRuns.Call c = TestRuns.cli("run", m.toString(), "--out", runs.resolve("fashion-mnist").toString());
    if (c.code() != 0) {
      throw new IllegalStateException(c.err());
    }
    return runs;
  }

  static Path create(Path base) throws IOException {
    Path runs = Files.createDirectories(base.resolve("runs"));
    Path m = TestRuns.manifest(base, TestRuns.TINY);
    TestRuns.Call c = TestRuns.cli("run", m.toString(), "--out", runs.resolve("moons").toString());
    if (c.code() != 0) {
      throw new IllegalStateException(c.err());
    }
    Path moons = runs.resolve("moons");
    Path folder = Files.createDirectories(moons.resolve("samples").resolve("euler-8"));
    Plots.scatter(folder.resolve("samples.png"), "resampled", new double[0], new double[] {0, 0, 1, 1, -1, 0.5});
    Files.writeString(folder.resolve("metrics.json"), "{\"sliced_wasserstein\": 0.25, \"nfe\": 8}");

    Path vp = runs.resolve("moons-vp");
    copy(moons, vp);
    Files.writeString(vp.resolve("manifest.yaml"), Files.readString(moons.resolve("manifest.yaml"))
        .replace("schedule: \"rectified-flow\"", "schedule: \"vp\""));
    Files.setLastModifiedTime(vp.resolve("metrics.json"), FileTime.from(Instant.now().plusSeconds(1)));

    Path live = Files.createDirectories(runs.resolve("live"));
    Files.writeString(live.resolve("manifest.yaml"), Files.readString(moons.resolve("manifest.yaml")));
    Files.writeString(live.resolve("run.log"), "step 10/30 loss 0.9\n");
    try (SummaryFile f = new SummaryFile(live.resolve("tensorboard"))) {
      for (int s = 10; s <= 20; s += 10) {
        f.scalar("loss", s, 1.0 / s);
        f.scalar("learning_rate", s, 0.003);
      }
    }

    Path broken = Files.createDirectories(runs.resolve("broken"));
    Files.writeString(broken.resolve("manifest.yaml"), "data: two-moons\nschedule: vp\n");
    Files.writeString(broken.resolve("run.log"), "step 10/30 loss 0.9\n");
    FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
    Files.setLastModifiedTime(broken.resolve("manifest.yaml"), old);
    Files.setLastModifiedTime(broken.resolve("run.log"), old);

    Path outside = Files.createDirectories(base.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), SECRET);
    Files.writeString(outside.resolve("manifest.yaml"), "data: " + SECRET + "\n");
    Files.createSymbolicLink(runs.resolve("escape"), outside);
    Files.createSymbolicLink(moons.resolve("leak.txt"), outside.resolve("secret.txt"));
    return runs;
  }

  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
