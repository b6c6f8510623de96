package org.diffuse4j.api;

/**
 * Pairs a batch of data rows with a batch of noise rows (row-major, {@code dim} values each) by
 * returning, for each data row i, the index of its noise row. The independent coupling is the
 * identity; minibatch optimal transport solves an assignment problem.
 */
@FunctionalInterface
public interface Coupling {

  /**
   * For each of the {@code rows} data rows in {@code x0}, the index of the noise row in {@code noise} it is paired with.
   *
   * @param x0 the data rows, row-major, length {@code rows * dim}
   * @param noise the noise rows, row-major, length {@code rows * dim}
   * @param rows the number of rows B in each batch
   * @param dim the number of values per row
   * @return {@code rows} indices in 0 … rows − 1: entry i is the noise row paired with data row i
   */
  int[] pair(double[] x0, double[] noise, int rows, int dim);

  /** The independent coupling: data row i keeps noise row i. */
  Coupling INDEPENDENT =
      (x0, noise, rows, dim) -> {
        int[] id = new int[rows];
        for (int i = 0; i < rows; i++) {
          id[i] = i;
        }
        return id;
      };
}
