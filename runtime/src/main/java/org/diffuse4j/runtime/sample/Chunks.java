package org.diffuse4j.runtime.sample;

/**
 * Index-aligned chunks of a fixed size B: chunk k holds the global rows [kB, (k+1)B), and the network
 * always sees exactly B rows (the last chunk is padded). Every engine that runs a network over rows
 * (sampling, likelihood, encode, the evaluation classifier) computes through this one class, so row i
 * is always computed at position i mod B of a B-row call: its bits depend on B, the CPU and the build,
 * never on n, on which other chunks are computed, on their order or on the process.
 *
 * @param size rows per chunk B (independent of how many rows are wanted)
 */
public record Chunks(int size) {
  public Chunks {
    if (size < 1) {
      throw new IllegalArgumentException("chunk size must be >= 1, got " + size);
    }
  }

  /** Number of chunks covering n rows: ⌈n / B⌉. */
  public int count(long n) {
    return (int) ((n + size - 1) / size);
  }

  /** The first global row of chunk k: kB. */
  public long first(long chunk) {
    return chunk * size;
  }

  /**
   * The chunk that starts at global row {@code row}; fails unless the row is a chunk boundary (a
   * multiple of B), because a range that starts elsewhere would put its rows at other positions.
   */
  public long chunkAt(long row) {
    if (row < 0 || row % size != 0) {
      throw new IllegalArgumentException("rows must start at a multiple of the chunk size " + size + ", got row " + row);
    }
    return row / size;
  }

  /** Real (unpadded) rows of the chunk starting at offset {@code start} of an n-row range. */
  public int rows(int start, int n) {
    return Math.min(size, n - start);
  }

  /**
   * The B × width values of the chunk starting at row offset {@code start} of {@code data} (n rows of
   * {@code width} values): the real rows copied, the padding rows zero.
   */
  public double[] padded(double[] data, int width, int start, int n) {
    double[] chunk = new double[size * width];
    System.arraycopy(data, start * width, chunk, 0, rows(start, n) * width);
    return chunk;
  }

  /** Copies the real rows of a chunk's output (B × width) to {@code all} (n × width) at row {@code start}. */
  public void unpad(double[] chunk, int width, int start, int n, double[] all) {
    System.arraycopy(chunk, 0, all, start * width, rows(start, n) * width);
  }
}
