package org.diffuse4j.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SlicedWassersteinTest {
  private final Random rnd = new Random(7);

  @Test
  void identicalSetsAreAtDistanceZero() {
    double[] a = ExactWassersteinTest.gaussian(rnd, 2 * 500);
    assertThat(SlicedWasserstein.distance(a, 500, a.clone(), 500, 2, 50, 1)).isZero();
  }

  @Test
  void inOneDimensionAShiftCostsExactlyTheShift() {
    double[] a = ExactWassersteinTest.gaussian(rnd, 300);
    double[] b = a.clone();
    for (int i = 0; i < b.length; i++) {
      b[i] += 3;
    }
    assertThat(SlicedWasserstein.distance(a, 300, b, 300, 1, 10, 5)).isCloseTo(3, within(1e-12));
  }

  @Test
  void aTranslationByVCostsAboutNormVOverSqrtDim() {
    // Projected on u, a translation by v is a 1-D shift by u·v, so W2² = (u·v)²; for u uniform on
    // the unit sphere E[(u·v)²] = |v|²/dim, hence SW2 ≈ |v|/√dim (Monte Carlo over directions).
    for (int dim : new int[] {2, 5}) {
      int n = 200;
      double[] a = ExactWassersteinTest.gaussian(rnd, n * dim);
      double[] b = a.clone();
      double[] v = new double[dim];
      double norm2 = 0;
      for (int d = 0; d < dim; d++) {
        v[d] = d + 1.0;
        norm2 += v[d] * v[d];
      }
      for (int i = 0; i < n; i++) {
        for (int d = 0; d < dim; d++) {
          b[i * dim + d] += v[d];
        }
      }
      double expected = Math.sqrt(norm2 / dim);
      double sw = SlicedWasserstein.distance(a, n, b, n, dim, 4000, 11);
      assertThat(sw).as("dim %d", dim).isCloseTo(expected, within(0.02 * expected));
    }
  }

  @Test
  void scalesWithTheData() {
    double[] a = ExactWassersteinTest.gaussian(rnd, 2 * 300);
    double[] b = ExactWassersteinTest.gaussian(rnd, 2 * 200);
    double d = SlicedWasserstein.distance(a, 300, b, 200, 2, 100, 3);
    for (int i = 0; i < a.length; i++) {
      a[i] *= 2.5;
    }
    for (int i = 0; i < b.length; i++) {
      b[i] *= 2.5;
    }
    assertThat(d).isPositive();
    assertThat(SlicedWasserstein.distance(a, 300, b, 200, 2, 100, 3)).isCloseTo(2.5 * d, within(1e-12));
  }

  @Test
  void unequalSizesUseTheExactQuantileIntegral() {
    // Quantile functions: a = {0, 1} steps at 1/2; b = {0, 1, 2} steps at 1/3, 2/3.
    // (Qa − Qb)² is 0 on [0,1/3), 1 on [1/3,1/2), 0 on [1/2,2/3), 1 on [2/3,1): integral 1/2.
    assertThat(SlicedWasserstein.w2Squared1d(new double[] {0, 1}, new double[] {0, 1, 2}))
        .isCloseTo(0.5, within(1e-15));
    assertThat(SlicedWasserstein.w2Squared1d(new double[] {0, 1, 2}, new double[] {0, 1}))
        .isCloseTo(0.5, within(1e-15));
    // The same set listed twice is the same distribution.
    double[] a = ExactWassersteinTest.gaussian(rnd, 2 * 150);
    double[] twice = new double[2 * a.length];
    System.arraycopy(a, 0, twice, 0, a.length);
    System.arraycopy(a, 0, twice, a.length, a.length);
    assertThat(SlicedWasserstein.distance(a, 150, twice, 300, 2, 50, 9)).isCloseTo(0, within(1e-12));
  }

  @Test
  void isAtMostTheExactDistanceOverSqrtDim() {
    // Each projection is 1-Lipschitz and E[uuᵀ] = I/dim, so SW2 ≤ W2/√dim (up to Monte Carlo error).
    int n = 100;
    double[] a = ExactWassersteinTest.gaussian(rnd, 2 * n);
    double[] b = ExactWassersteinTest.gaussian(rnd, 2 * n);
    for (int i = 0; i < n; i++) {
      b[2 * i] = 0.5 * b[2 * i] + 1;
    }
    double sw = SlicedWasserstein.distance(a, n, b, n, 2, 2000, 4);
    double w2 = ExactWasserstein.distance(a, b, n, 2);
    assertThat(sw).isLessThan(1.03 * w2 / Math.sqrt(2)).isGreaterThan(0.3 * w2 / Math.sqrt(2));
  }

  @Test
  void sameSeedSameValueAndDifferentSeedsAgreeRoughly() {
    double[] a = ExactWassersteinTest.gaussian(rnd, 2 * 400);
    double[] b = ExactWassersteinTest.gaussian(rnd, 2 * 400);
    for (int i = 0; i < b.length; i++) {
      b[i] = 1.5 * b[i];
    }
    double d1 = SlicedWasserstein.distance(a, 400, b, 400, 2, 500, 1);
    assertThat(SlicedWasserstein.distance(a, 400, b, 400, 2, 500, 1)).isEqualTo(d1);
    assertThat(SlicedWasserstein.distance(a, 400, b, 400, 2, 500, 2)).isCloseTo(d1, within(0.05 * d1));
  }

  @Test
  void directionsAreUnitVectors() {
    for (int p = 0; p < 20; p++) {
      double[] u = SlicedWasserstein.direction(5, p, 3);
      assertThat(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]).isCloseTo(1, within(1e-12));
    }
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> SlicedWasserstein.distance(new double[4], 2, new double[4], 2, 2, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SlicedWasserstein.distance(new double[5], 2, new double[4], 2, 2, 10, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
