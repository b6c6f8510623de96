package org.diffuse4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.diffuse4j.runtime.sample.Chunks;

/**
 * Global rows [first, first + n) of a job's input and their values (row-major n × dim); first is a
 * multiple of the chunk size, so a task computes whole index-aligned chunks.
 */
record Slice(long first, int n, double[] x) implements Serializable {
  /** The first chunk of partition p of P over C chunks: ⌊pC/P⌋. */
  static long firstChunk(int p, int partitions, long chunks) {
    return p * chunks / partitions;
  }

  /** The n rows of {@code x} cut into {@code partitions} slices of whole chunks, in row order. */
  static List<Slice> of(double[] x, int n, Chunks chunks, int partitions) {
    int dim = x.length / n;
    long count = chunks.count(n);
    List<Slice> slices = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      int first = (int) chunks.first(firstChunk(p, partitions, count));
      int end = (int) Math.min(n, chunks.first(firstChunk(p + 1, partitions, count)));
      slices.add(new Slice(first, end - first, Arrays.copyOfRange(x, first * dim, end * dim)));
    }
    return slices;
  }
}
