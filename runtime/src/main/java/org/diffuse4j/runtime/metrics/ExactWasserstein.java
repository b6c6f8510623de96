package org.diffuse4j.runtime.metrics;

import java.util.Arrays;

/**
 * Exact W2 between two equal-size point sets via optimal assignment (Hungarian, O(n³); n up to
 * ~2000).
 *
 * <p>Between two empirical distributions with n equally weighted points each, an optimal transport
 * plan can always be chosen to be a permutation, so W2² = min over permutations π of
 * (1/n) Σ |a_i − b_π(i)|². The minimum is found with the Hungarian algorithm in its
 * shortest-augmenting-path form with row and column potentials (Kuhn–Munkres, as in Jonker and
 * Volgenant): rows are added one at a time and each is routed to a free column along a cheapest
 * path in the reduced costs.
 */
public final class ExactWasserstein {
  private ExactWasserstein() {}

  /** W2 between {@code a} and {@code b}, both row-major n×dim. */
  public static double distance(double[] a, double[] b, int n, int dim) {
    if (n <= 0 || dim <= 0 || a.length != n * dim || b.length != n * dim) {
      throw new IllegalArgumentException("need two row-major n×dim arrays with n, dim > 0; got lengths "
          + a.length + " and " + b.length + " for n=" + n + ", dim=" + dim);
    }
    double[] cost = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int d = 0; d < dim; d++) {
          double diff = a[i * dim + d] - b[j * dim + d];
          s += diff * diff;
        }
        cost[i * n + j] = s;
      }
    }
    int[] match = assignment(cost, n);
    double total = 0;
    for (int i = 0; i < n; i++) {
      total += cost[i * n + match[i]];
    }
    return Math.sqrt(total / n);
  }

  /**
   * A minimum-cost assignment for the n×n row-major cost matrix: {@code result[row] = column}.
   * Indices 1..n are used internally; index 0 is a virtual column that holds the row being added.
   */
  static int[] assignment(double[] cost, int n) {
    double[] rowPotential = new double[n + 1];
    double[] colPotential = new double[n + 1];
    int[] rowOfCol = new int[n + 1]; // 0 = column still free
    int[] previousCol = new int[n + 1]; // the path back to the virtual column 0
    double[] minSlack = new double[n + 1];
    boolean[] used = new boolean[n + 1];

    for (int row = 1; row <= n; row++) {
      rowOfCol[0] = row;
      int col = 0;
      Arrays.fill(minSlack, Double.POSITIVE_INFINITY);
      Arrays.fill(used, false);
      // Grow a tree of tight edges from `row` until it reaches a free column (Dijkstra-like).
      do {
        used[col] = true;
        int r = rowOfCol[col];
        double delta = Double.POSITIVE_INFINITY;
        int nextCol = 0;
        int base = (r - 1) * n - 1;
        for (int j = 1; j <= n; j++) {
          if (!used[j]) {
            double reduced = cost[base + j] - rowPotential[r] - colPotential[j];
            if (reduced < minSlack[j]) {
              minSlack[j] = reduced;
              previousCol[j] = col;
            }
            if (minSlack[j] < delta) {
              delta = minSlack[j];
              nextCol = j;
            }
          }
        }
        for (int j = 0; j <= n; j++) {
          if (used[j]) {
            rowPotential[rowOfCol[j]] += delta;
            colPotential[j] -= delta;
          } else {
            minSlack[j] -= delta;
          }
        }
        col = nextCol;
      } while (rowOfCol[col] != 0);
      // Flip the matching along the augmenting path.
      do {
        int prev = previousCol[col];
        rowOfCol[col] = rowOfCol[prev];
        col = prev;
      } while (col != 0);
    }
    int[] result = new int[n];
    for (int j = 1; j <= n; j++) {
      result[rowOfCol[j] - 1] = j - 1;
    }
    return result;
  }
}
