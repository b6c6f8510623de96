package org.diffuse4j.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import org.diffuse4j.runtime.train.Checkpoint;
import org.junit.jupiter.api.Test;

/** Throughput measurement for docs/scale-out.md (not committed). */
class SparkTrainBench {
  @Test
  void measure() throws Exception {
    String manifest = System.getProperty("bench.manifest", "examples/manifests/two-moons.yaml");
    String steps = System.getProperty("bench.steps", "300");
    String n = System.getProperty("bench.n", "1000");
    Path root = Path.of("/tmp/sparktrain/bench-" + System.nanoTime());
    Files.createDirectories(root);
    String[][] modes = {{"plain"}, {"local[1]"}, {"local[2]"}};
    for (String[] mode : modes) {
      Path out = root.resolve(mode[0].replaceAll("[^a-z0-9]", ""));
      java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", Path.of("..").resolve(manifest).toString(),
          "--out", out.toString(), "--set", "training.steps=" + steps, "--set", "sampling.n=" + n));
      if (!mode[0].equals("plain")) {
        args.addAll(java.util.List.of("--spark", mode[0]));
      }
      long t0 = System.nanoTime();
      Cli.Call c = Cli.run(args.toArray(String[]::new));
      System.out.printf("BENCH %s wall %.1f s code %d%n%s%s%n", mode[0], (System.nanoTime() - t0) / 1e9, c.code(), c.out(), c.err());
    }
    java.util.List<Double> plain = new Checkpoint(root.resolve("plain")).state().losses();
    java.util.List<Double> one = new Checkpoint(root.resolve("local1")).state().losses();
    java.util.List<Double> two = new Checkpoint(root.resolve("local2")).state().losses();
    double d1 = 0, d2 = 0;
    for (int k = 0; k < plain.size(); k++) {
      d1 = Math.max(d1, Math.abs(plain.get(k) - one.get(k)));
      d2 = Math.max(d2, Math.abs(plain.get(k) - two.get(k)));
    }
    System.out.printf("BENCH local[1] losses equal: %s (max diff %.3e); local[2] max diff %.3e%n", plain.equals(one), d1, d2);
    System.out.printf("BENCH samples local[1] bitwise: %s%n", java.util.Arrays.equals(Files.readAllBytes(root.resolve("plain/samples.npy")),
        Files.readAllBytes(root.resolve("local1/samples.npy"))));
  }
}
