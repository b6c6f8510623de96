package org.diffuse4j.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
  @TempDir Path dir;

  @Test
  void float64RoundTripIsExact() throws IOException {
    double[] data = {0, -1.5, Math.PI, 1e-300, Double.MAX_VALUE, -0.0};
    Path f = dir.resolve("a.npy");
    Npy.writeFloat64(f, data, 2, 3);
    Npy.Array a = Npy.read(f);
    assertThat(a.shape()).containsExactly(2, 3);
    assertThat(a.data()).containsExactly(data);
  }

  @Test
  void float32RoundTripRoundsToFloat() throws IOException {
    double[] data = {0.1, 2.5, -3.75, 1e-3};
    Path f = dir.resolve("b.npy");
    Npy.writeFloat32(f, data);
    Npy.Array a = Npy.read(f);
    assertThat(a.shape()).containsExactly(4);
    for (int i = 0; i < data.length; i++) {
      assertThat(a.data()[i]).isEqualTo((double) (float) data[i]);
    }
  }

  @Test
  void writesExactlyTheBytesTheSpecPrescribes() throws IOException {
    // Built by hand from the v1.0 spec: magic, version 1.0, header length (LE uint16), the dict
    // padded with spaces and ended by '\n' so that the data starts at a multiple of 64 (here 128:
    // 10 bytes of preamble + 60 of dict + newline do not fit in 64), then LE float32s.
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1), }";
    int headerLen = 128 - 10;
    String header = dict + " ".repeat(headerLen - dict.length() - 1) + "\n";
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) headerLen, 0});
    expected.write(header.getBytes(StandardCharsets.US_ASCII));
    // 1.0f = 0x3F800000, -2.0f = 0xC0000000, little-endian.
    expected.write(new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0});

    Path f = dir.resolve("c.npy");
    Npy.writeFloat32(f, new double[] {1, -2}, 2, 1);
    assertThat(Files.readAllBytes(f)).isEqualTo(expected.toByteArray());
  }

  @Test
  void oneDimensionalShapeHasTrailingComma() throws IOException {
    Path f = dir.resolve("d.npy");
    Npy.writeFloat64(f, new double[] {1, 2, 3}, 3);
    String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
    assertThat(text).contains("'shape': (3,), }");
    assertThat(Files.size(f)).isEqualTo(128 + 3 * 8);
  }

  @Test
  void readsHandWrittenIntegerArrays() throws IOException {
    Path i4 = handWritten("<i4", "(3,)", le(4 * 3).putInt(7).putInt(-1).putInt(Integer.MAX_VALUE));
    assertThat(Npy.read(i4).data()).containsExactly(7, -1, Integer.MAX_VALUE);
    Path i8 = handWritten("<i8", "(1, 2)", le(16).putLong(1L << 40).putLong(-5));
    Npy.Array a = Npy.read(i8);
    assertThat(a.shape()).containsExactly(1, 2);
    assertThat(a.data()).containsExactly(Math.pow(2, 40), -5);
  }

  @Test
  void readsScalarsAndEmptyArrays() throws IOException {
    Npy.Array scalar = Npy.read(handWritten("<f8", "()", le(8).putDouble(4.5)));
    assertThat(scalar.shape()).isEmpty();
    assertThat(scalar.data()).containsExactly(4.5);
    Npy.Array empty = Npy.read(handWritten("<f4", "(0, 2)", le(0)));
    assertThat(empty.shape()).containsExactly(0, 2);
    assertThat(empty.data()).isEmpty();
  }

  @Test
  void rejectsFortranOrderNamingFileAndProblem() throws IOException {
    Path f = write("fortran.npy",
        header("{'descr': '<f8', 'fortran_order': True, 'shape': (1,), }"), le(8).putDouble(1));
    assertThatThrownBy(() -> Npy.read(f))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("fortran.npy")
        .hasMessageContaining("Fortran");
  }

  @Test
  void rejectsBadMagic() throws IOException {
    Path f = dir.resolve("text.npy");
    Files.writeString(f, "hello, this is not numpy at all");
    assertThatThrownBy(() -> Npy.read(f)).hasMessageContaining("text.npy").hasMessageContaining("magic");
  }

  @Test
  void rejectsTruncatedData() throws IOException {
    Path f = dir.resolve("t.npy");
    Npy.writeFloat64(f, new double[] {1, 2, 3, 4}, 4);
    byte[] all = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(all, all.length - 3));
    assertThatThrownBy(() -> Npy.read(f)).hasMessageContaining("t.npy").hasMessageContaining("truncated");
    Files.write(f, Arrays.copyOf(all, 20));
    assertThatThrownBy(() -> Npy.read(f)).hasMessageContaining("t.npy").hasMessageContaining("truncated");
  }

  @Test
  void rejectsUnsupportedDtypes() throws IOException {
    Path big = handWritten(">f8", "(1,)", le(8).putDouble(1));
    assertThatThrownBy(() -> Npy.read(big)).hasMessageContaining("'>f8'").hasMessageContaining("<f4");
    Path u1 = handWritten("|u1", "(1,)", le(1).put((byte) 1));
    assertThatThrownBy(() -> Npy.read(u1)).hasMessageContaining("'|u1'");
  }

  @Test
  void missingFileIsAClearIOException() {
    Path f = dir.resolve("nope.npy");
    assertThatThrownBy(() -> Npy.read(f)).isInstanceOf(IOException.class).hasMessageContaining("nope.npy");
  }

  @Test
  void shapeMustMatchData() {
    assertThatThrownBy(() -> Npy.writeFloat32(dir.resolve("x.npy"), new double[5], 2, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[2, 3]");
  }

  @Test
  void readsWhatNumpyWrote() throws Exception {
    assumeTrue(numpyAvailable(), "python3 with numpy not available");
    String script = String.join("\n",
        "import numpy as np, sys",
        "d = sys.argv[1]",
        "np.save(d + '/f4.npy', np.arange(6, dtype='<f4').reshape(2, 3) / 4)",
        "np.save(d + '/f8.npy', np.array([[1.5, -2.0], [1e-300, 3.0]], dtype='<f8'))",
        "np.save(d + '/i8.npy', np.array([2**40, -7], dtype='<i8'))",
        "np.save(d + '/i4.npy', np.arange(24, dtype='<i4').reshape(2, 3, 4))",
        "np.save(d + '/fortran.npy', np.asfortranarray(np.ones((2, 3))))");
    run("python3", "-c", script, dir.toString());
    Npy.Array f4 = Npy.read(dir.resolve("f4.npy"));
    assertThat(f4.shape()).containsExactly(2, 3);
    assertThat(f4.data()).containsExactly(0, 0.25, 0.5, 0.75, 1.0, 1.25);
    assertThat(Npy.read(dir.resolve("f8.npy")).data()).containsExactly(1.5, -2.0, 1e-300, 3.0);
    assertThat(Npy.read(dir.resolve("i8.npy")).data()).containsExactly(Math.pow(2, 40), -7);
    Npy.Array i4 = Npy.read(dir.resolve("i4.npy"));
    assertThat(i4.shape()).containsExactly(2, 3, 4);
    assertThat(i4.data()[23]).isEqualTo(23);
    assertThatThrownBy(() -> Npy.read(dir.resolve("fortran.npy"))).hasMessageContaining("Fortran");
  }

  @Test
  void numpyReadsWhatWeWrote() throws Exception {
    assumeTrue(numpyAvailable(), "python3 with numpy not available");
    Npy.writeFloat32(dir.resolve("ours32.npy"), new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
    Npy.writeFloat64(dir.resolve("ours64.npy"), new double[] {0.1, -0.2}, 2);
    String script = String.join("\n",
        "import numpy as np, sys",
        "d = sys.argv[1]",
        "a = np.load(d + '/ours32.npy'); b = np.load(d + '/ours64.npy')",
        "assert a.dtype == np.float32 and a.shape == (3, 2) and a[2, 1] == 6, (a.dtype, a.shape)",
        "assert b.dtype == np.float64 and b.shape == (2,) and b[1] == -0.2, b",
        "print('ok')");
    assertThat(run("python3", "-c", script, dir.toString())).contains("ok");
  }

  // ---- helpers ----

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A v1.0 header for the given dict (at most 117 characters), padded to 128 bytes, built independently of Npy. */
  private static byte[] header(String dict) {
    int headerLen = 128 - 10;
    String text = dict + " ".repeat(headerLen - dict.length() - 1) + "\n";
    ByteBuffer b = le(128);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) headerLen);
    b.put(text.getBytes(StandardCharsets.US_ASCII));
    return b.array();
  }

  private Path handWritten(String descr, String shape, ByteBuffer payload) throws IOException {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    return write(descr.replaceAll("\\W", "") + shape.replaceAll("\\W", "") + ".npy", header(dict), payload);
  }

  private Path write(String name, byte[] header, ByteBuffer payload) throws IOException {
    Path f = dir.resolve(name);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(header);
    out.write(payload.array());
    Files.write(f, out.toByteArray());
    return f;
  }

  private static boolean numpyAvailable() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  void userInputsMustBeFiniteAndReadable() throws IOException {
    Path f = dir.resolve("x.npy");
    double[] v = {0, 1, 2, 3, 4, Double.NEGATIVE_INFINITY};
    Npy.writeFloat64(f, v, 3, 2);
    assertThatThrownBy(() -> Npy.readInput(f, "--data"))
        .isInstanceOf(org.diffuse4j.api.plugin.OptionException.class)
        .hasMessageContaining("--data: " + f)
        .hasMessageContaining("row 2 (0-based), column 1 is -Infinity");
    // rows of an n × h × w array are the h·w values of one sample
    double[] img = new double[2 * 2 * 3];
    img[7] = Double.NaN;
    Npy.writeFloat32(f, img, 2, 2, 3);
    assertThatThrownBy(() -> Npy.readInput(f, "k")).hasMessageContaining("row 1 (0-based), column 1 is NaN");
    Files.writeString(f, "not npy");
    assertThatThrownBy(() -> Npy.readInput(f, "--init")).hasMessageContaining("--init: cannot read")
        .hasMessageContaining("not a .npy file");
    assertThatThrownBy(() -> Npy.readInput(dir.resolve("none.npy"), "--data")).hasMessageContaining("file not found");
    Npy.writeFloat32(f, new double[] {1, 2, 3, 4}, 2, 2);
    assertThat(Npy.readInput(f, "--data").data()).containsExactly(1, 2, 3, 4);
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    return output;
  }
}
