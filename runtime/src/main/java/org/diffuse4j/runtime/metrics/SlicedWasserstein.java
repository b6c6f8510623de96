package org.diffuse4j.runtime.metrics;

import java.util.Arrays;
import org.diffuse4j.api.CounterNoise;

/**
 * Sliced Wasserstein-2 distance: sqrt of the mean over random unit directions of W2² between the 1-D
 * projections (sorted quantiles; unequal sizes via quantile interpolation).
 *
 * <p>For each direction u, both point sets are projected onto u and sorted, which gives their
 * quantile functions (step functions on (0, 1)). W2² between two 1-D empirical distributions is the
 * integral of the squared difference of their quantile functions; it is computed exactly by walking
 * the merged breakpoints i/n and j/m (for n = m this is the mean squared difference of the sorted
 * values). Directions are Gaussian vectors from {@link CounterNoise} normalised to unit length, so
 * the same seed gives the same directions.
 */
public final class SlicedWasserstein {
  private SlicedWasserstein() {}

  /**
   * The sliced W2 distance between {@code a} (row-major n×dim) and {@code b} (row-major m×dim)
   * using {@code projections} random directions drawn from {@code seed}.
   */
  public static double distance(double[] a, int n, double[] b, int m, int dim, int projections, long seed) {
    if (n <= 0 || m <= 0 || dim <= 0 || projections <= 0) {
      throw new IllegalArgumentException("need n, m, dim and projections > 0, got n=" + n + ", m=" + m
          + ", dim=" + dim + ", projections=" + projections);
    }
    if (a.length != n * dim || b.length != m * dim) {
      throw new IllegalArgumentException("array lengths " + a.length + " and " + b.length
          + " do not match n=" + n + ", m=" + m + ", dim=" + dim);
    }
    double sum = 0;
    double[] pa = new double[n];
    double[] pb = new double[m];
    for (int p = 0; p < projections; p++) {
      double[] u = direction(seed, p, dim);
      project(a, n, dim, u, pa);
      project(b, m, dim, u, pb);
      Arrays.sort(pa);
      Arrays.sort(pb);
      sum += w2Squared1d(pa, pb);
    }
    return Math.sqrt(sum / projections);
  }

  /** A unit vector uniformly distributed on the sphere: a normalised Gaussian vector. */
  static double[] direction(long seed, int index, int dim) {
    double[] u = new double[dim];
    double norm = 0;
    for (int d = 0; d < dim; d++) {
      u[d] = CounterNoise.gaussian(seed, index, 0, d);
      norm += u[d] * u[d];
    }
    norm = Math.sqrt(norm);
    for (int d = 0; d < dim; d++) {
      u[d] /= norm;
    }
    return u;
  }

  private static void project(double[] x, int rows, int dim, double[] u, double[] out) {
    for (int i = 0; i < rows; i++) {
      double s = 0;
      for (int d = 0; d < dim; d++) {
        s += x[i * dim + d] * u[d];
      }
      out[i] = s;
    }
  }

  /**
   * Exact W2² between the empirical distributions of two sorted samples: the integral over
   * t in (0, 1) of (Qa(t) − Qb(t))², where Qa(t) = a[floor(t·n)] is the quantile function.
   */
  static double w2Squared1d(double[] a, double[] b) {
    int n = a.length;
    int m = b.length;
    if (n == m) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        double d = a[i] - b[i];
        s += d * d;
      }
      return s / n;
    }
    // Walk the merged breakpoints i/n and j/m; compare i·m with j·n to avoid rounding.
    double s = 0;
    int i = 0;
    int j = 0;
    long t = 0; // current position, in units of 1/(n·m)
    while (i < n && j < m) {
      long nextA = (long) (i + 1) * m;
      long nextB = (long) (j + 1) * n;
      long next = Math.min(nextA, nextB);
      double d = a[i] - b[j];
      s += d * d * (next - t);
      t = next;
      if (nextA == next) {
        i++;
      }
      if (nextB == next) {
        j++;
      }
    }
    return s / ((double) n * m);
  }
}
