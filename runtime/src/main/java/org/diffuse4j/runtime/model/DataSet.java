package org.diffuse4j.runtime.model;

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
}
