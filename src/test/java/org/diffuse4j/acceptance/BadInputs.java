package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the validation fuzz classes share: a tiny valid manifest to mutate (training.steps 5, a width-8
 * network, 8 samples, so that a missing check would still finish fast), the rule that {@code validate}
 * and {@code run} reject a bad input identically before any work, and .npy files built byte by byte.
 */
final class BadInputs {
  private BadInputs() {}

  /** A manifest as ordered top-level lines ({@code key: flow-value}); rows replace, remove or add lines. */
  static final class Manifest {
    private final Map<String, String> lines = new LinkedHashMap<>();
    private final List<String> extra = new ArrayList<>();

    private Manifest() {
      lines.put("data", "two-moons");
      lines.put("network", "{name: mlp, width: 8, depth: 1, time_embedding: 4}");
      lines.put("schedule", "rectified-flow");
      lines.put("parameterisation", "velocity");
      lines.put("objective", "flow-matching");
      lines.put("training", "{steps: 5, batch_size: 8, lr: 0.01, log_every: 5}");
      lines.put("sampling", "{solver: euler, grid: uniform, steps: 2, n: 8, batch_size: 8}");
      lines.put("seed", "0");
      lines.put("output", "{dir: OUT, projections: 4}");
    }

    /** Replaces (or adds) the top-level line {@code key}. */
    Manifest set(String key, String flow) {
      lines.put(key, flow);
      return this;
    }

    /** Removes the top-level line {@code key}. */
    Manifest remove(String key) {
      lines.remove(key);
      return this;
    }

    /** Appends a raw line (may repeat a key, start a document, …). */
    Manifest raw(String line) {
      extra.add(line);
      return this;
    }

    /** The YAML text; {@code OUT} in the output section stands for the run folder. */
    String text(Path out) {
      StringBuilder b = new StringBuilder("# tiny manifest for the validation fuzz suite\n");
      lines.forEach((k, v) -> b.append(k).append(": ").append(v.replace("OUT", out.toString())).append('\n'));
      extra.forEach(l -> b.append(l).append('\n'));
      return b.toString();
    }

    @Override
    public String toString() {
      return String.join("; ", extra.isEmpty() ? lines.values() : extra);
    }
  }

  /** The tiny valid manifest. */
  static Manifest tiny() {
    return new Manifest();
  }

  /** Writes {@code text} to {@code dir/m.yaml} and returns the path. */
  static Path write(Path dir, String text) {
    return write(dir, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code bytes} to {@code dir/m.yaml} and returns the path. */
  static Path write(Path dir, byte[] bytes) {
    try {
      Path m = dir.resolve("m.yaml");
      Files.write(m, bytes);
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs {@code validate MANIFEST ARGS} and {@code run MANIFEST ARGS}: both must exit with status 2,
   * print the same message naming every part of {@code parts}, print no stack trace, change nothing
   * under {@code root}, and {@code run} must not create its run folder {@code out}.
   */
  static void assertBothReject(Path root, Path out, Path manifest, List<String> args, String... parts) {
    Fuzz.Watch watch = Fuzz.watch(root);
    Cli validate = Cli.run(concat("validate", manifest, args));
    watch.assertRejected(validate, Fuzz.USAGE, parts);
    Cli run = Cli.run(concat("run", manifest, args));
    watch.assertRejected(run, Fuzz.USAGE, parts);
    assertThat(firstLine(run.err())).as("run fails exactly as validate does").isEqualTo(firstLine(validate.err()));
    assertThat(out).as("run must not create its run folder before the checks pass").doesNotExist();
  }

  /** The error line (picocli's usage line after it names the command). */
  static String firstLine(String err) {
    int nl = err.indexOf('\n');
    return nl < 0 ? err : err.substring(0, nl);
  }

  private static String[] concat(String command, Path manifest, List<String> args) {
    List<String> all = new ArrayList<>();
    all.add(command);
    all.add(manifest.toString());
    all.addAll(args);
    return all.toArray(String[]::new);
  }

  /** An .npy file: magic, version 1.0, the header dict padded to 64 bytes, then {@code data}. */
  static byte[] npy(String descr, boolean fortran, String shape, byte[] data) {
    String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape
        + ", }";
    int unpadded = 10 + dict.length() + 1;
    int padded = (unpadded + 63) / 64 * 64;
    String header = dict + " ".repeat(padded - unpadded) + "\n";
    ByteBuffer b = ByteBuffer.allocate(padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.US_ASCII)).put(data);
    return b.array();
  }

  /** Little-endian float32 bytes of {@code v}. */
  static byte[] f4(double... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    Arrays.stream(v).forEach(x -> b.putFloat((float) x));
    return b.array();
  }

  /** Little-endian float64 bytes of {@code v}. */
  static byte[] f8(double... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    Arrays.stream(v).forEach(b::putDouble);
    return b.array();
  }

  /** {@code rows × cols} finite values (a small standard-normal-like pattern), row-major. */
  static double[] table(int rows, int cols) {
    double[] v = new double[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.sin(1.7 * i + 0.3);
    }
    return v;
  }
}
