package org.diffuse4j.api.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.diffuse4j.api.plugin.OptionException;

/**
 * NumPy {@code .npy} format v1.0 reader/writer (little-endian {@code '<f4'}, {@code '<f8'},
 * {@code '<i4'}, {@code '<i8'}, C order).
 *
 * <p>The format (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html): the magic
 * bytes {@code \x93NUMPY}, a major and a minor version byte, the header length as a little-endian
 * unsigned 16-bit integer, then the header: a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }} padded with spaces and ending
 * in a newline so that the data starts at a multiple of 64 bytes. The raw array data follows.
 *
 * <p>Files are written through {@link AtomicFiles}, so a crash never leaves a half-written file.
 * The reader also accepts format versions 2.0 and 3.0 (4-byte header length). Integer arrays are
 * returned as doubles, which is exact up to 2<sup>53</sup>.
 */
public final class Npy {
  private Npy() {}

  /**
   * An array read from a file: the values in C (row-major) order and the shape.
   *
   * @param data the values in C (row-major) order, as doubles
   * @param shape the dimensions; empty for a scalar
   */
  public record Array(double[] data, int[] shape) {}

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGNMENT = 64;

  /**
   * Writes {@code data} as {@code '<f4'}; with no shape given, as a 1-D array.
   *
   * @param file the file to write (atomically, see {@link AtomicFiles})
   * @param data the values in C (row-major) order, rounded to float32
   * @param shape the dimensions, whose product is {@code data.length}; empty for a 1-D array
   * @throws IOException if the file cannot be written
   */
  public static void writeFloat32(Path file, double[] data, int... shape) throws IOException {
    write(file, Dtype.F4, data, shape);
  }

  /**
   * Writes {@code data} as {@code '<f8'}; with no shape given, as a 1-D array.
   *
   * @param file the file to write (atomically, see {@link AtomicFiles})
   * @param data the values in C (row-major) order
   * @param shape the dimensions, whose product is {@code data.length}; empty for a 1-D array
   * @throws IOException if the file cannot be written
   */
  public static void writeFloat64(Path file, double[] data, int... shape) throws IOException {
    write(file, Dtype.F8, data, shape);
  }

  /**
   * Reads a {@code .npy} file of one of the four supported dtypes. Anything else (other dtypes,
   * big-endian data, Fortran order, bad magic, a truncated file) fails with an IOException naming
   * the file and the problem.
   *
   * @param file the {@code .npy} file
   * @return the values as doubles in C order, and the shape
   * @throws IOException if the file cannot be read or is not a supported {@code .npy} file
   */
  public static Array read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) { // a missing file, a folder, a read error: name the file and the reason
      throw new IOException("cannot read " + file + ": " + IoErrors.reason(e), e);
    }
    return parse(file, bytes);
  }

  /**
   * Reads a user's input array for {@code key} (e.g. {@code --data}, {@code sampling.init}): a missing
   * file, a file that is not a readable .npy of a supported dtype, and any NaN or infinite value fail
   * with an {@link OptionException} naming the key and the file (and the row and column of the value).
   *
   * @param file the {@code .npy} file the user named
   * @param key the option or flag the file was given for, used in error messages
   * @return the values in C order and the shape, all finite
   * @throws OptionException if the file is missing, unreadable, not a supported .npy or holds a non-finite
   *     value
   */
  public static Array readInput(Path file, String key) {
    if (!Files.isRegularFile(file)) {
      throw new OptionException(key + ": file not found: " + file.toAbsolutePath()
          + "; give an existing .npy file (numpy: np.save('x.npy', x))");
    }
    Array a;
    try {
      a = read(file);
    } catch (IOException e) {
      throw new OptionException(key + ": cannot read " + e.getMessage()
          + "; give a .npy file of float32/float64 rows (numpy: np.save('x.npy', x.astype(np.float32)))");
    }
    int per = 1;
    for (int i = 1; i < a.shape().length; i++) {
      per *= a.shape()[i];
    }
    requireFinite(a.data(), Math.max(per, 1), key + ": " + file, "every value must be a finite number");
    return a;
  }

  /**
   * Fails naming {@code source}, the row and the column (0-based, rows of {@code width} values) of
   * the first NaN or infinite value; {@code why} says what a non-finite value would break.
   *
   * @param values the values to check, row-major
   * @param width the number of values per row (≥ 1)
   * @param source what the values are, e.g. the option key and file, used in the message
   * @param why what a non-finite value would break, appended to the message
   * @throws OptionException at the first NaN or infinite value
   */
  public static void requireFinite(double[] values, int width, String source, String why) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new OptionException(String.format("%s: row %d (0-based), column %d is %s; %s. "
            + "Remove or fix that row (e.g. numpy: x = x[np.isfinite(x).all(axis=1)]).",
            source, i / width, i % width, values[i], why));
      }
    }
  }

  /** The supported element types. */
  private enum Dtype {
    F4("<f4", 4),
    F8("<f8", 8),
    I4("<i4", 4),
    I8("<i8", 8);

    final String descr;
    final int size;

    Dtype(String descr, int size) {
      this.descr = descr;
      this.size = size;
    }

    static Dtype of(String descr) {
      for (Dtype d : values()) {
        if (d.descr.equals(descr)) {
          return d;
        }
      }
      return null;
    }
  }

  private static void write(Path file, Dtype dtype, double[] data, int[] shape) throws IOException {
    int[] dims = shape.length == 0 ? new int[] {data.length} : shape;
    long count = 1;
    for (int d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
      }
      count *= d;
    }
    if (count != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(dims) + " holds " + count + " values but data has " + data.length);
    }
    byte[] header = header(dtype, dims);
    ByteBuffer buf = ByteBuffer.allocate(header.length + data.length * dtype.size);
    buf.order(ByteOrder.LITTLE_ENDIAN).put(header);
    for (double v : data) {
      if (dtype == Dtype.F4) {
        buf.putFloat((float) v);
      } else {
        buf.putDouble(v);
      }
    }
    AtomicFiles.writeBytes(file, buf.array());
  }

  /** Magic, version 1.0, header length and the padded header dict. */
  static byte[] header(Dtype dtype, int[] shape) {
    StringBuilder dict = new StringBuilder();
    dict.append("{'descr': '").append(dtype.descr).append("', 'fortran_order': False, 'shape': (");
    for (int i = 0; i < shape.length; i++) {
      dict.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    dict.append(shape.length == 1 ? ",), }" : "), }");
    int preamble = MAGIC.length + 2 + 2;
    int unpadded = preamble + dict.length() + 1; // + the final newline
    int padded = (unpadded + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    dict.append(" ".repeat(padded - unpadded)).append('\n');
    byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer out = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
    return out.array();
  }

  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private static Array parse(Path file, byte[] bytes) throws IOException {
    if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new IOException(file + ": not a .npy file (bad magic bytes)");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int major = bytes[6];
    int headerLength;
    int headerStart;
    if (major == 1) {
      headerLength = Short.toUnsignedInt(buf.getShort(8));
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      if (bytes.length < 12) {
        throw new IOException(file + ": truncated .npy header");
      }
      headerLength = buf.getInt(8);
      headerStart = 12;
    } else {
      throw new IOException(file + ": unsupported .npy format version " + major + "." + bytes[7]);
    }
    int dataStart = headerStart + headerLength;
    if (headerLength < 0 || dataStart > bytes.length) {
      throw new IOException(file + ": truncated .npy header");
    }
    String header = new String(bytes, headerStart, headerLength, StandardCharsets.ISO_8859_1);

    Dtype dtype = Dtype.of(field(file, header, DESCR, "descr"));
    if (dtype == null) {
      throw new IOException(file + ": unsupported dtype '" + field(file, header, DESCR, "descr")
          + "' (supported: '<f4', '<f8', '<i4', '<i8')");
    }
    if (field(file, header, FORTRAN, "fortran_order").equals("True")) {
      throw new IOException(file + ": Fortran-order arrays are not supported (save with C order)");
    }
    int[] shape = shape(file, field(file, header, SHAPE, "shape"));
    long count = 1;
    for (int d : shape) {
      count *= d;
    }
    long expected = count * dtype.size;
    long actual = bytes.length - dataStart;
    if (actual < expected) {
      throw new IOException(file + ": truncated .npy data: shape " + Arrays.toString(shape)
          + " needs " + expected + " bytes but the file has " + actual);
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new IOException(file + ": array too large (" + count + " values)");
    }
    double[] data = new double[(int) count];
    buf.position(dataStart);
    for (int i = 0; i < data.length; i++) {
      data[i] = switch (dtype) {
        case F4 -> buf.getFloat();
        case F8 -> buf.getDouble();
        case I4 -> buf.getInt();
        case I8 -> buf.getLong();
      };
    }
    return new Array(data, shape);
  }

  private static String field(Path file, String header, Pattern pattern, String name)
      throws IOException {
    Matcher m = pattern.matcher(header);
    if (!m.find()) {
      throw new IOException(file + ": .npy header has no valid '" + name + "' entry: " + header.trim());
    }
    return m.group(1);
  }

  private static int[] shape(Path file, String tuple) throws IOException {
    String[] parts = tuple.split(",");
    int[] dims = new int[parts.length];
    int k = 0;
    for (String p : parts) {
      String s = p.trim();
      if (s.isEmpty()) {
        continue; // the trailing comma of "(3,)" or the empty tuple "()"
      }
      try {
        dims[k] = Integer.parseInt(s);
      } catch (NumberFormatException e) {
        throw new IOException(file + ": bad shape (" + tuple + ") in .npy header", e);
      }
      if (dims[k++] < 0) {
        throw new IOException(file + ": negative dimension in shape (" + tuple + ")");
      }
    }
    return Arrays.copyOf(dims, k);
  }
}
