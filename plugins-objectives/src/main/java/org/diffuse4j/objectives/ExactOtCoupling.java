package org.diffuse4j.objectives;

import java.util.Arrays;
import org.diffuse4j.api.Coupling;

/**
 * Minibatch optimal transport, exact: the permutation π minimising Σ_i ‖x0_i − ε_π(i)‖², found by
 * the Hungarian algorithm with potentials in O(B³) (Kuhn 1955; Munkres 1957). With uniform weights
 * on equal-size batches the optimal plan is a permutation, so this is the exact OT-CFM coupling
 * (Tong et al. 2023; Pooladian et al. 2023).
 */
public record ExactOtCoupling() implements Coupling {

  @Override
  public int[] pair(double[] x0, double[] noise, int rows, int dim) {
    return assign(SquaredCost.of(x0, noise, rows, dim), rows);
  }

  /** The row-to-column assignment of minimum total cost for a square cost matrix (row-major). */
  static int[] assign(double[] cost, int n) {
    double[] u = new double[n + 1];
    double[] v = new double[n + 1];
    int[] owner = new int[n + 1]; // owner[j]: row (1-based) assigned to column j; column 0 is virtual
    int[] way = new int[n + 1];
    double[] minv = new double[n + 1];
    boolean[] used = new boolean[n + 1];
    for (int i = 1; i <= n; i++) {
      owner[0] = i;
      int j0 = 0;
      Arrays.fill(minv, Double.POSITIVE_INFINITY);
      Arrays.fill(used, false);
      do {
        used[j0] = true;
        int i0 = owner[j0];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = 0;
        for (int j = 1; j <= n; j++) {
          if (!used[j]) {
            double reduced = cost[(i0 - 1) * n + (j - 1)] - u[i0] - v[j];
            if (reduced < minv[j]) {
              minv[j] = reduced;
              way[j] = j0;
            }
            if (minv[j] < delta) {
              delta = minv[j];
              j1 = j;
            }
          }
        }
        for (int j = 0; j <= n; j++) {
          if (used[j]) {
            u[owner[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (owner[j0] != 0);
      do {
        int j1 = way[j0];
        owner[j0] = owner[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    int[] pairing = new int[n];
    for (int j = 1; j <= n; j++) {
      pairing[owner[j] - 1] = j - 1;
    }
    return pairing;
  }
}
