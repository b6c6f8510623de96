package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.diffuse4j.acceptance.BadInputs.f4;
import static org.diffuse4j.acceptance.BadInputs.f8;
import static org.diffuse4j.acceptance.BadInputs.npy;
import static org.diffuse4j.acceptance.BadInputs.table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad .npy inputs for {@code likelihood --data}, {@code encode --data}, {@code run --init} (and
 * {@code validate --set sampling.init=…}) and {@code sample RUN --init}: NaN or infinite values, wrong shapes, unsupported dtypes,
 * truncated or foreign files, missing files. Each is rejected before any work, naming the option,
 * the file and, for a non-finite value, its row and column; nothing is written.
 */
class NpyInputFuzzTest {
  @TempDir Path tmp;
  @TempDir static Path shared;
  /** A run folder trained for 5 steps, for {@code sample --init}. */
  static Path trained;

  @BeforeAll
  static void trainATinyRun() {
    Path m = BadInputs.write(shared, BadInputs.tiny().text(shared.resolve("run")));
    Cli c = Cli.run("run", m.toString());
    assertThat(c.code()).as(c.err()).isZero();
    trained = shared.resolve("run");
  }

  /** One bad file: its name, how to write it, and what the message must say besides the file name. */
  record Bad(String name, Writer writer, String... parts) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Writes a bad input at a path. */
  interface Writer {
    void write(Path p) throws IOException;
  }

  private static double[] with(double[] v, int row, int col, double x) {
    double[] c = v.clone();
    c[row * 2 + col] = x;
    return c;
  }

  private static Writer bytes(byte[] b) {
    return p -> Files.write(p, b);
  }

  /** Bad for every input (8 rows of the tiny manifest's 2 values, where the shape is right). */
  static List<Bad> common() {
    double[] ok = table(8, 2);
    byte[] good = npy("<f4", false, "(8, 2)", f4(ok));
    return List.of(
        new Bad("nan.npy", bytes(npy("<f8", false, "(8, 2)", f8(with(ok, 3, 1, Double.NaN)))), "row 3", "column 1", "NaN"),
        new Bad("inf.npy", bytes(npy("<f4", false, "(8, 2)", f4(with(ok, 0, 0, Double.POSITIVE_INFINITY)))), "row 0", "column 0", "Infinity"),
        new Bad("neg-inf.npy", bytes(npy("<f8", false, "(8, 2)", f8(with(ok, 7, 1, Double.NEGATIVE_INFINITY)))), "row 7", "column 1", "-Infinity"),
        new Bad("overflow.npy", bytes(npy("<f4", false, "(8, 2)", f4(with(ok, 5, 0, 1e300)))), "row 5", "column 0", "Infinity"),
        new Bad("width3.npy", bytes(npy("<f4", false, "(8, 3)", f4(table(8, 3)))), "shape [8, 3]"),
        new Bad("flat.npy", bytes(npy("<f4", false, "(16,)", f4(ok))), "shape [16]"),
        new Bad("int16.npy", bytes(npy("<i2", false, "(8, 2)", new byte[32])), "unsupported dtype '<i2'"),
        new Bad("big-endian.npy", bytes(npy(">f4", false, "(8, 2)", new byte[64])), "unsupported dtype '>f4'"),
        new Bad("complex.npy", bytes(npy("<c8", false, "(8, 2)", new byte[128])), "unsupported dtype '<c8'"),
        new Bad("fortran.npy", bytes(npy("<f4", true, "(8, 2)", f4(ok))), "Fortran"),
        new Bad("truncated-data.npy", bytes(Arrays.copyOf(good, good.length - 24)), "truncated .npy data"),
        new Bad("truncated-header.npy", bytes(Arrays.copyOf(good, 30)), "truncated .npy header"),
        new Bad("version9.npy", bytes(with9(good)), "unsupported .npy format version 9"),
        new Bad("text.npy", bytes("1.0,2.0\n3.0,4.0\n".getBytes(StandardCharsets.US_ASCII)), "not a .npy file"),
        new Bad("empty.npy", bytes(new byte[0]), "not a .npy file"),
        new Bad("missing.npy", p -> { }, "not found"),
        new Bad("folder.npy", Files::createDirectory, "not found"));
  }

  private static byte[] with9(byte[] good) {
    byte[] b = good.clone();
    b[6] = 9;
    return b;
  }

  static Stream<Arguments> data() {
    return common().stream().flatMap(b -> Stream.of(Arguments.of("likelihood", b), Arguments.of("encode", b)));
  }

  static Stream<Arguments> init() {
    Stream<Bad> extra = Stream.of(new Bad("four-rows.npy", bytes(npy("<f4", false, "(4, 2)", f4(table(4, 2)))),
        "shape [4, 2]", "at least sampling.n = 8 rows"));
    return Stream.concat(common().stream(), extra).map(Arguments::of);
  }

  private Path manifest() {
    return BadInputs.write(tmp, BadInputs.tiny().text(tmp.resolve("out")));
  }

  @ParameterizedTest(name = "[{index}] {0} --data {1}")
  @MethodSource("data")
  void badDataIsRejected(String command, Bad bad) throws IOException {
    Path m = manifest();
    Path file = tmp.resolve(bad.name());
    bad.writer().write(file);
    Path latents = tmp.resolve("latents.npy");
    Fuzz.Watch watch = Fuzz.watch(tmp);
    Cli c = command.equals("encode")
        ? Cli.run("encode", m.toString(), "--data", file.toString(), "--out", latents.toString(), "--steps", "2")
        : Cli.run("likelihood", m.toString(), "--data", file.toString(), "--steps", "2");
    watch.assertRejected(c, Fuzz.USAGE, parts("--data", bad));
    assertThat(latents).doesNotExist();
  }

  @ParameterizedTest(name = "[{index}] run --init {0}")
  @MethodSource("init")
  void badInitialNoiseIsRejected(Bad bad) throws IOException {
    Path m = manifest();
    Path file = tmp.resolve(bad.name());
    bad.writer().write(file);
    Fuzz.Watch watch = Fuzz.watch(tmp);
    Cli validate = Cli.run("validate", m.toString(), "--set", "sampling.init=" + file);
    watch.assertRejected(validate, Fuzz.USAGE, parts("sampling.init", bad));
    Cli run = Cli.run("run", m.toString(), "--init", file.toString());
    watch.assertRejected(run, Fuzz.USAGE, parts("sampling.init", bad));
    assertThat(run.err()).as("run fails exactly as validate does").isEqualTo(validate.err());
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @ParameterizedTest(name = "[{index}] sample --init {0}")
  @MethodSource("init")
  void badInitialNoiseForSampleIsRejected(Bad bad) throws IOException {
    Path file = tmp.resolve(bad.name());
    bad.writer().write(file);
    Fuzz.Watch watch = Fuzz.watch(tmp, trained);
    Cli c = Cli.run("sample", trained.toString(), "--init", file.toString());
    watch.assertRejected(c, Fuzz.USAGE, parts("sampling.init", bad));
  }

  private static String[] parts(String key, Bad bad) {
    String[] out = new String[bad.parts().length + 2];
    out[0] = key;
    out[1] = bad.name();
    System.arraycopy(bad.parts(), 0, out, 2, bad.parts().length);
    return out;
  }
}
