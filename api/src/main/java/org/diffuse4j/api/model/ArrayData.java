package org.diffuse4j.api.model;

import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.model.DataSet;
import org.diffuse4j.api.plugin.OptionException;

/**
 * A data set held in memory: N rows of D values, optional integer labels 0 … K−1 and optional paired
 * noise rows (reflow). Row i of the stream with a seed is table row ⌊u·N⌋, u = {@link CounterNoise}
 * uniform of (seed, i, {@link #STREAM}): drawn with replacement, a function of (seed, i) only, like
 * every other data set; labels and noise rows follow the same table row.
 */
public final class ArrayData implements DataSet {
  /** Noise stream that picks the rows. */
  public static final long STREAM = 0xDA7AL;

  private final double[] rows;
  private final int count;
  private final int dim;
  private final int[] labels;
  private final int classes;
  private final double[] noise;

  /**
   * Wraps {@code rows} (row-major count × dim). {@code labels} (one per row, 0 … K−1) may be null.
   * {@code source} names where the rows came from in error messages; a non-finite value fails,
   * naming the row, so training never starts on a NaN.
   *
   * @param rows the table, row-major count × dim, every value finite; not copied
   * @param dim the number of values per row, &gt; 0, dividing {@code rows.length}
   * @param labels one class id per row (0 … K−1), or null for unlabelled data
   * @param source where the rows came from (e.g. a file name), for error messages
   * @throws OptionException if the table is empty or ragged, a value is not finite, or the labels do
   *     not fit
   */
  public ArrayData(double[] rows, int dim, int[] labels, String source) {
    this(rows, dim, labels, null, source);
  }

  /**
   * As {@link #ArrayData(double[], int, int[], String)} with {@code noise} (null, or one noise row per
   * data row, count × dim) paired with the rows: row i of a draw gets the noise row of the same table
   * row ({@link #noise}).
   *
   * @param rows the table, row-major count × dim, every value finite; not copied
   * @param dim the number of values per row, &gt; 0, dividing {@code rows.length}
   * @param labels one class id per row (0 … K−1), or null for unlabelled data
   * @param noise the paired noise rows, row-major count × dim, every value finite; or null for none
   * @param source where the rows came from (e.g. a file name), for error messages
   * @throws OptionException if the table is empty or ragged, a value is not finite, or the labels or
   *     noise rows do not fit
   */
  public ArrayData(double[] rows, int dim, int[] labels, double[] noise, String source) {
    if (dim <= 0 || rows.length == 0 || rows.length % dim != 0) {
      throw new OptionException(source + ": expected a non-empty table of rows with " + dim + " values each");
    }
    this.rows = rows;
    this.dim = dim;
    this.count = rows.length / dim;
    org.diffuse4j.api.io.Npy.requireFinite(rows, dim, source, "training on it would diverge");
    int k = 0;
    if (labels != null) {
      if (labels.length != count) {
        throw new OptionException(source + ": " + labels.length + " labels for " + count + " rows; give one label per row");
      }
      for (int i = 0; i < count; i++) {
        if (labels[i] < 0) {
          throw new OptionException(source + ": label of row " + i + " is " + labels[i] + "; labels must be 0, 1, 2, …");
        }
        k = Math.max(k, labels[i] + 1);
      }
    }
    this.labels = labels;
    this.classes = k;
    this.noise = noise == null ? null : checkedNoise(noise, rows.length, source);
  }

  private static double[] checkedNoise(double[] noise, int values, String source) {
    if (noise.length != values) {
      throw new OptionException(source + ": " + noise.length + " noise values for " + values
          + " data values; give one noise row per data row, of the same width");
    }
    for (double v : noise) {
      if (!Double.isFinite(v)) {
        throw new OptionException(source + ": a paired noise value is " + v + "; every noise value must be finite");
      }
    }
    return noise;
  }

  /**
   * Number of rows in the table.
   *
   * @return the number of table rows N (not of rows drawn)
   */
  public int count() {
    return count;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public int classes() {
    return classes;
  }

  private int row(long seed, long i) {
    return Math.min(count - 1, (int) (CounterNoise.uniform(seed, i, STREAM, 0) * count));
  }

  @Override
  public double[] sample(long seed, long first, int n) {
    double[] out = new double[n * dim];
    for (int i = 0; i < n; i++) {
      System.arraycopy(rows, row(seed, first + i) * dim, out, i * dim, dim);
    }
    return out;
  }

  @Override
  public boolean paired() {
    return noise != null;
  }

  @Override
  public double[] noise(long seed, long first, int n) {
    if (noise == null) {
      return DataSet.super.noise(seed, first, n);
    }
    double[] out = new double[n * dim];
    for (int i = 0; i < n; i++) {
      System.arraycopy(noise, row(seed, first + i) * dim, out, i * dim, dim);
    }
    return out;
  }

  @Override
  public int[] labels(long seed, long first, int n) {
    if (labels == null) {
      return DataSet.super.labels(seed, first, n);
    }
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = labels[row(seed, first + i)];
    }
    return out;
  }
}
