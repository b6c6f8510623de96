package org.diffuse4j.api;

/**
 * Pairs a batch of data rows with a batch of noise rows (row-major, {@code dim} values each) by
 * returning, for each data row i, the index of its noise row. The independent coupling is the
 * identity; minibatch optimal transport solves an assignment problem.
 */
@FunctionalInterface
public interface Coupling {

  /** For each of the {@code rows} data rows in {@code x0}, the index of the noise row in {@code noise} it is paired with. */
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
