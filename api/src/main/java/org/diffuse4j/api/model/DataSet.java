package org.diffuse4j.api.model;

/**
 * What a {@code data} plugin builds: a seeded source of training rows. Row i of a draw depends only
 * on (seed, first + i), so training batches and reference draws are reproducible and independent of
 * batch size.
 */
public interface DataSet {
  /** Values per row. */
  int dim();

  /** Rows [first, first + n) of the stream with this seed, row-major n × dim. */
  double[] sample(long seed, long first, int n);

  /** Number of classes of labelled data (labels 0 … classes−1), or 0 for unlabelled data. */
  default int classes() {
    return 0;
  }

  /** The name of class {@code label} for plots and reports, e.g. "Trouser"; by default "class " + label. */
  default String className(int label) {
    return "class " + label;
  }

  /** Class labels of the same rows as {@link #sample}; only for labelled data. */
  default int[] labels(long seed, long first, int n) {
    throw new UnsupportedOperationException("this data set has no labels");
  }

  /**
   * Whether every row comes with a paired noise row ({@link #noise}): reflow's (endpoint, noise)
   * pairs, fed to objectives whose {@code pairedNoise()} is true.
   */
  default boolean paired() {
    return false;
  }

  /** The noise rows paired with the same rows as {@link #sample}, row-major n × dim; only for paired data. */
  default double[] noise(long seed, long first, int n) {
    throw new UnsupportedOperationException("this data set has no paired noise rows");
  }
}
