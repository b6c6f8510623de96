package org.diffuse4j.runtime.lib;

import java.nio.file.Path;

/**
 * Samples drawn from a trained run: the rows (n × dim, the values of the folder's {@code samples.npy},
 * float32 widened to double), what was measured on them, and the folder that holds them.
 */
public record Samples(double[][] rows, Metrics metrics, Path folder) {

  /**
   * Number of samples.
   *
   * @return the number of samples
   */
  public int n() {
    return rows.length;
  }

  /**
   * Values per sample.
   *
   * @return the values per sample
   */
  public int dim() {
    return rows.length == 0 ? 0 : rows[0].length;
  }
}
