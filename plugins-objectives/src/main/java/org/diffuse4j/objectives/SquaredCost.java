package org.diffuse4j.objectives;

/** The squared Euclidean cost matrix C_ij = ‖x0_i − ε_j‖² of a batch, row-major. */
final class SquaredCost {
  private SquaredCost() {}

  static double[] of(double[] x0, double[] noise, int rows, int dim) {
    if (x0.length != rows * dim || noise.length != rows * dim) {
      throw new IllegalArgumentException(
          "coupling: expected " + rows + " rows of " + dim + " values, got " + x0.length + " and " + noise.length);
    }
    double[] c = new double[rows * rows];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < rows; j++) {
        double s = 0;
        for (int k = 0; k < dim; k++) {
          double d = x0[i * dim + k] - noise[j * dim + k];
          s += d * d;
        }
        c[i * rows + j] = s;
      }
    }
    return c;
  }
}
