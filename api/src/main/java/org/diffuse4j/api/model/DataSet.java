package org.diffuse4j.api.model;

/**
 * What a {@code data} plugin builds: a seeded source of training rows. Row i of a draw depends only
 * on (seed, first + i), so training batches and reference draws are reproducible and independent of
 * batch size.
 */
public interface DataSet {
  /**
   * Values per row.
   *
   * @return the row width D, &gt; 0
   */
  int dim();

  /**
   * Rows [first, first + n) of the stream with this seed, row-major n × dim.
   *
   * @param seed the seed of the stream
   * @param first the index of the first row in the stream, &gt;= 0
   * @param n the number of rows, &gt;= 0
   * @return the rows, row-major, length {@code n * dim()}
   */
  double[] sample(long seed, long first, int n);

  /**
   * Number of classes of labelled data (labels 0 … classes−1), or 0 for unlabelled data.
   *
   * @return the number of classes K, or 0 for unlabelled data (the default)
   */
  default int classes() {
    return 0;
  }

  /**
   * The name of class {@code label} for plots and reports, e.g. "Trouser"; by default "class " + label.
   *
   * @param label the class id, 0 … classes−1
   * @return the class's display name
   */
  default String className(int label) {
    return "class " + label;
  }

  /**
   * Class labels of the same rows as {@link #sample}; only for labelled data.
   *
   * @param seed the seed of the stream
   * @param first the index of the first row in the stream, &gt;= 0
   * @param n the number of rows, &gt;= 0
   * @return the labels of rows [first, first + n), each 0 … classes−1
   * @throws UnsupportedOperationException if the data set has no labels (the default)
   */
  default int[] labels(long seed, long first, int n) {
    throw new UnsupportedOperationException("this data set has no labels");
  }

  /**
   * Whether every row comes with a paired noise row ({@link #noise}): reflow's (endpoint, noise)
   * pairs, fed to objectives whose {@code pairedNoise()} is true.
   *
   * @return true if {@link #noise} is supported; false by default
   */
  default boolean paired() {
    return false;
  }

  /**
   * The noise rows paired with the same rows as {@link #sample}, row-major n × dim; only for paired data.
   *
   * @param seed the seed of the stream
   * @param first the index of the first row in the stream, &gt;= 0
   * @param n the number of rows, &gt;= 0
   * @return the noise rows paired with rows [first, first + n), row-major, length {@code n * dim()}
   * @throws UnsupportedOperationException if the data set has no paired noise rows (the default)
   */
  default double[] noise(long seed, long first, int n) {
    throw new UnsupportedOperationException("this data set has no paired noise rows");
  }
}
