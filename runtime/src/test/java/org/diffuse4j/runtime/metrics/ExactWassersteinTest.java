package org.diffuse4j.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactWassersteinTest {

  @Test
  void matchesBruteForceOverAllPermutations() {
    Random rnd = new Random(42);
    for (int n = 1; n <= 7; n++) {
      for (int dim : new int[] {1, 2, 3}) {
        for (int trial = 0; trial < 5; trial++) {
          double[] a = gaussian(rnd, n * dim);
          double[] b = gaussian(rnd, n * dim);
          assertThat(ExactWasserstein.distance(a, b, n, dim))
              .as("n=%d dim=%d trial=%d", n, dim, trial)
              .isCloseTo(bruteForce(a, b, n, dim), within(1e-12));
        }
      }
    }
  }

  @Test
  void handlesTiesAndIntegerCosts() {
    // Many equal costs: the algorithm must still find an optimal assignment.
    double[] a = {0, 0, 1, 1, 0, 1, 1, 0, 0, 0};
    double[] b = {1, 1, 0, 0, 1, 0, 0, 1, 0, 0};
    assertThat(ExactWasserstein.distance(a, b, 5, 2)).isCloseTo(bruteForce(a, b, 5, 2), within(1e-12));
  }

  @Test
  void translationCostsExactlyItsLength() {
    Random rnd = new Random(1);
    int n = 200;
    double[] a = gaussian(rnd, 2 * n);
    double[] b = a.clone();
    for (int i = 0; i < n; i++) {
      b[2 * i] += 0.3;
      b[2 * i + 1] -= 0.4;
    }
    assertThat(ExactWasserstein.distance(a, b, n, 2)).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void shuffledCopyIsAtDistanceZero() {
    Random rnd = new Random(2);
    int n = 300;
    double[] a = gaussian(rnd, 3 * n);
    double[] b = new double[3 * n];
    for (int i = 0; i < n; i++) {
      int j = (i * 7 + 11) % n; // a permutation since gcd(7, 300) = 1
      System.arraycopy(a, 3 * i, b, 3 * j, 3);
    }
    assertThat(ExactWasserstein.distance(a, b, n, 3)).isCloseTo(0, within(1e-9));
  }

  @Test
  void inOneDimensionEqualsSortedMatching() {
    Random rnd = new Random(3);
    int n = 400;
    double[] a = gaussian(rnd, n);
    double[] b = gaussian(rnd, n);
    for (int i = 0; i < n; i++) {
      b[i] = 2 * b[i] + 1;
    }
    double[] sa = a.clone();
    double[] sb = b.clone();
    Arrays.sort(sa);
    Arrays.sort(sb);
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += (sa[i] - sb[i]) * (sa[i] - sb[i]);
    }
    assertThat(ExactWasserstein.distance(a, b, n, 1)).isCloseTo(Math.sqrt(s / n), within(1e-9));
  }

  @Test
  void rejectsMismatchedLengths() {
    assertThatThrownBy(() -> ExactWasserstein.distance(new double[4], new double[6], 2, 2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static double[] gaussian(Random rnd, int size) {
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      out[i] = rnd.nextGaussian();
    }
    return out;
  }

  /** W2 by trying every permutation (recursive swaps; fine for n ≤ 7). */
  static double bruteForce(double[] a, double[] b, int n, int dim) {
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    return Math.sqrt(best(a, b, n, dim, perm, 0) / n);
  }

  private static double best(double[] a, double[] b, int n, int dim, int[] perm, int k) {
    if (k == n) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        for (int d = 0; d < dim; d++) {
          double diff = a[i * dim + d] - b[perm[i] * dim + d];
          s += diff * diff;
        }
      }
      return s;
    }
    double min = Double.POSITIVE_INFINITY;
    for (int i = k; i < n; i++) {
      swap(perm, k, i);
      min = Math.min(min, best(a, b, n, dim, perm, k + 1));
      swap(perm, k, i);
    }
    return min;
  }

  private static void swap(int[] p, int i, int j) {
    int t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
}
