package org.diffuse4j.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader for the IDX files of MNIST and Fashion-MNIST (LeCun et al., yann.lecun.com/exdb/mnist):
 * a big-endian header (two zero bytes, a type byte 0x08 = unsigned byte, the number of dimensions),
 * one 32-bit big-endian size per dimension, then the values row-major. Gzipped files are detected
 * by their magic bytes.
 */
public record Idx(int[] dims, byte[] data) {
  private static final int UNSIGNED_BYTE = 0x08;

  /** Reads an unsigned-byte IDX file, plain or gzipped. */
  public static Idx read(Path file) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f & raw.read() == 0x8b;
      raw.reset();
      try (DataInputStream in = new DataInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw)) {
        int magic = in.readInt();
        int type = (magic >>> 8) & 0xff;
        int rank = magic & 0xff;
        if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || rank < 1 || rank > 4) {
          throw new IOException(file + " is not an unsigned-byte IDX file (magic 0x" + Integer.toHexString(magic) + ")");
        }
        int[] dims = new int[rank];
        long n = 1;
        for (int i = 0; i < rank; i++) {
          dims[i] = in.readInt();
          n *= dims[i];
        }
        if (n > Integer.MAX_VALUE - 8) {
          throw new IOException(file + " is too large: " + n + " values");
        }
        byte[] data = new byte[(int) n];
        in.readFully(data);
        return new Idx(dims, data);
      }
    }
  }
}
