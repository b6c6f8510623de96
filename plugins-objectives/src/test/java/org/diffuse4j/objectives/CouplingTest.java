package org.diffuse4j.objectives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.diffuse4j.api.Coupling;
import org.diffuse4j.api.CounterNoise;
import org.junit.jupiter.api.Test;

/** Minibatch OT couplings against brute force over all permutations and the independent coupling. */
class CouplingTest {

  private static double[] points(int rows, int dim, long stream, double shift) {
    double[] v = CounterNoise.gaussian(3, 0, rows, dim, stream);
    for (int i = 0; i < v.length; i++) {
      v[i] += shift;
    }
    return v;
  }

  /** Independent brute force: the minimum of Σ‖x_i − y_π(i)‖² over all n! permutations. */
  private static double bruteForce(double[] x, double[] y, int n, int dim) {
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    double best = Double.POSITIVE_INFINITY;
    do {
      double s = 0;
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < dim; k++) {
          double d = x[i * dim + k] - y[perm[i] * dim + k];
          s += d * d;
        }
      }
      best = Math.min(best, s);
    } while (nextPermutation(perm));
    return best;
  }

  private static boolean nextPermutation(int[] a) {
    int i = a.length - 2;
    while (i >= 0 && a[i] >= a[i + 1]) {
      i--;
    }
    if (i < 0) {
      return false;
    }
    int j = a.length - 1;
    while (a[j] <= a[i]) {
      j--;
    }
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
    for (int l = i + 1, r = a.length - 1; l < r; l++, r--) {
      t = a[l];
      a[l] = a[r];
      a[r] = t;
    }
    return true;
  }

  private static double cost(double[] x, double[] y, int[] pairing, int dim) {
    double s = 0;
    for (int i = 0; i < pairing.length; i++) {
      for (int k = 0; k < dim; k++) {
        double d = x[i * dim + k] - y[pairing[i] * dim + k];
        s += d * d;
      }
    }
    return s;
  }

  private static void assertPermutation(int[] p) {
    int[] sorted = p.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertThat(sorted[i]).isEqualTo(i);
    }
  }

  @Test
  void exactAssignmentEqualsBruteForceOptimumAndBeatsIndependent() {
    Coupling ot = new ExactOtCoupling();
    for (int n = 1; n <= 7; n++) {
      for (int dim : new int[] {1, 2, 5}) {
        for (long trial = 0; trial < 4; trial++) {
          double[] x = points(n, dim, 100 + trial * 10 + n, 1.0);
          double[] y = points(n, dim, 200 + trial * 10 + n, 0.0);
          int[] p = ot.pair(x, y, n, dim);
          assertPermutation(p);
          double c = cost(x, y, p, dim);
          assertThat(c).isCloseTo(bruteForce(x, y, n, dim), within(1e-9));
          assertThat(c).isLessThanOrEqualTo(cost(x, y, Coupling.INDEPENDENT.pair(x, y, n, dim), dim) + 1e-12);
        }
      }
    }
  }

  @Test
  void exactAssignmentHandlesTiesAndDuplicates() {
    double[] x = {0, 0, 0, 1, 1, 1};
    double[] y = {1, 0, 1, 0, 1, 1};
    int[] p = new ExactOtCoupling().pair(x, y, 6, 1);
    assertPermutation(p);
    assertThat(cost(x, y, p, 1)).isEqualTo(bruteForce(x, y, 6, 1));
  }

  @Test
  void exactAssignmentOnATrainingSizeBatchIsQuickAndNoWorseThanIndependent() {
    int n = 256;
    double[] x = points(n, 2, 7, 2.0);
    double[] y = points(n, 2, 8, 0.0);
    long start = System.nanoTime();
    int[] p = new ExactOtCoupling().pair(x, y, n, 2);
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(5.0);
    assertPermutation(p);
    assertThat(cost(x, y, p, 2)).isLessThan(cost(x, y, Coupling.INDEPENDENT.pair(x, y, n, 2), 2));
  }

  @Test
  void sinkhornPlanHasUniformMarginals() {
    for (int n : new int[] {8, 60}) {
      for (double reg : new double[] {0.5, 0.01, 1e-3}) {
        double[] x = points(n, 2, 11, 1.0);
        double[] y = points(n, 2, 12, 0.0);
        SinkhornCoupling s = new SinkhornCoupling(reg, 20000, true, true, 0);
        double[] plan = s.plan(SquaredCost.of(x, y, n, 2), n);
        for (int i = 0; i < n; i++) {
          double row = 0;
          double col = 0;
          for (int j = 0; j < n; j++) {
            row += plan[i * n + j];
            col += plan[j * n + i];
          }
          // Columns are exact after each sweep; rows converge linearly, slowly for small reg.
          double rowTol = reg >= 0.5 ? 1e-8 / n : 1e-3 / n;
          assertThat(row).as("n=%d reg=%s row %d", n, reg, i).isCloseTo(1.0 / n, within(rowTol));
          assertThat(col).as("n=%d reg=%s col %d", n, reg, i).isCloseTo(1.0 / n, within(1e-12));
        }
      }
    }
  }

  @Test
  void sinkhornWithSmallRegularisationRecoversTheExactAssignment() {
    for (int n = 3; n <= 7; n++) {
      double[] x = points(n, 2, 300 + n, 1.0);
      double[] y = points(n, 2, 400 + n, 0.0);
      int[] argmax = new SinkhornCoupling(1e-3, 2000, false, true, 0).pair(x, y, n, 2);
      assertThat(cost(x, y, argmax, 2)).isCloseTo(bruteForce(x, y, n, 2), within(1e-9));
    }
  }

  @Test
  void sinkhornSamplingIsReproducibleAndFollowsThePlan() {
    int n = 6;
    double[] x = points(n, 2, 21, 0.5);
    double[] y = points(n, 2, 22, 0.0);
    SinkhornCoupling s = new SinkhornCoupling(10, 200, true, true, 0);
    assertThat(s.pair(x, y, n, 2)).containsExactly(s.pair(x, y, n, 2));
    // With a huge regularisation the plan is nearly independent: partners spread over many columns.
    int distinct = 0;
    boolean[] seen = new boolean[n];
    for (long seed = 0; seed < 40; seed++) {
      int[] p = new SinkhornCoupling(1e3, 50, true, true, seed).pair(x, y, n, 2);
      if (!seen[p[0]]) {
        seen[p[0]] = true;
        distinct++;
      }
    }
    assertThat(distinct).isGreaterThanOrEqualTo(4);
  }

  @Test
  void sinkhornSampledPartnersFollowThePlanRows() {
    int n = 5;
    double[] x = points(n, 2, 31, 0.5);
    double[] y = points(n, 2, 32, 0.0);
    double[] plan = new SinkhornCoupling(0.3, 500, true, true, 0).plan(SquaredCost.of(x, y, n, 2), n);
    int draws = 4000;
    double[] freq = new double[n * n];
    for (long seed = 0; seed < draws; seed++) {
      int[] p = new SinkhornCoupling(0.3, 500, true, true, seed).pair(x, y, n, 2);
      for (int i = 0; i < n; i++) {
        freq[i * n + p[i]] += 1.0 / draws;
      }
    }
    for (int k = 0; k < n * n; k++) {
      assertThat(freq[k]).as("P(partner) entry %d", k).isCloseTo(n * plan[k], within(0.03));
    }
  }
}
