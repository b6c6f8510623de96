package org.diffuse4j.runtime.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrechetTest {
  private static double[][] randomSpd(int d, Random rng) {
    double[][] a = new double[d][d];
    for (double[] row : a) {
      for (int j = 0; j < d; j++) {
        row[j] = rng.nextGaussian();
      }
    }
    double[][] at = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        at[i][j] = a[j][i];
      }
    }
    double[][] s = Frechet.multiply(a, at);
    for (int i = 0; i < d; i++) {
      s[i][i] += 0.1;
    }
    return s;
  }

  @Test
  void eigenOfATwoByTwoIsHandComputable() {
    double[] values = Frechet.eigen(new double[][] {{2, 1}, {1, 2}}).values().clone();
    Arrays.sort(values);
    assertThat(values[0]).isCloseTo(1, within(1e-12));
    assertThat(values[1]).isCloseTo(3, within(1e-12));
  }

  @Test
  void squareRootOfHandComputableMatrices() {
    double[][] diag = Frechet.sqrtPsd(new double[][] {{4, 0, 0}, {0, 9, 0}, {0, 0, 0}});
    assertThat(diag[0][0]).isCloseTo(2, within(1e-12));
    assertThat(diag[1][1]).isCloseTo(3, within(1e-12));
    assertThat(diag[2][2]).isCloseTo(0, within(1e-12));
    // [[2,1],[1,2]] has eigenvalues 1 and 3 with eigenvectors (1,-1)/√2 and (1,1)/√2
    double[][] r = Frechet.sqrtPsd(new double[][] {{2, 1}, {1, 2}});
    double s3 = Math.sqrt(3);
    assertThat(r[0][0]).isCloseTo((s3 + 1) / 2, within(1e-12));
    assertThat(r[0][1]).isCloseTo((s3 - 1) / 2, within(1e-12));
    assertThat(r[1][0]).isCloseTo((s3 - 1) / 2, within(1e-12));
    assertThat(r[1][1]).isCloseTo((s3 + 1) / 2, within(1e-12));
  }

  @Test
  void squareRootSquaresBack() {
    Random rng = new Random(3);
    for (int d : new int[] {1, 2, 5, 20}) {
      double[][] a = randomSpd(d, rng);
      double[][] r = Frechet.sqrtPsd(a);
      double[][] back = Frechet.multiply(r, r);
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          assertThat(back[i][j]).isCloseTo(a[i][j], within(1e-9 * (1 + Math.abs(a[i][j]))));
          assertThat(r[i][j]).isCloseTo(r[j][i], within(1e-12));
        }
      }
    }
  }

  @Test
  void zeroForIdenticalStatistics() {
    double[][] c = randomSpd(6, new Random(1));
    double[] mu = {1, -2, 3, 0.5, 0, 7};
    assertThat(Frechet.distance(mu, c, mu.clone(), c)).isCloseTo(0, within(1e-9));
  }

  @Test
  void equalCovariancesGiveTheSquaredMeanDistance() {
    double[][] c = randomSpd(6, new Random(2));
    double[] mu1 = {1, -2, 3, 0.5, 0, 7};
    double[] mu2 = {0, -2, 1, 0.5, 1, 7};
    assertThat(Frechet.distance(mu1, c, mu2, c)).isCloseTo(1 + 4 + 1, within(1e-9));
  }

  @Test
  void diagonalCovariancesMatchTheClosedForm() {
    double[] v1 = {1, 4, 0.25, 9};
    double[] v2 = {4, 1, 1, 0};
    double[][] c1 = new double[4][4];
    double[][] c2 = new double[4][4];
    double expected = 0.5 * 0.5; // mean difference in the first coordinate
    for (int i = 0; i < 4; i++) {
      c1[i][i] = v1[i];
      c2[i][i] = v2[i];
      double diff = Math.sqrt(v1[i]) - Math.sqrt(v2[i]);
      expected += diff * diff; // Σ (σ1 − σ2)²
    }
    double[] mu1 = {0.5, 0, 0, 0};
    double[] mu2 = new double[4];
    assertThat(Frechet.distance(mu1, c1, mu2, c2)).isCloseTo(expected, within(1e-12));
  }

  @Test
  void isSymmetricAndNonNegativeForGeneralCovariances() {
    Random rng = new Random(4);
    double[][] c1 = randomSpd(8, rng);
    double[][] c2 = randomSpd(8, rng);
    double[] mu = new double[8];
    double d12 = Frechet.distance(mu, c1, mu, c2);
    double d21 = Frechet.distance(mu, c2, mu, c1);
    assertThat(d12).isGreaterThan(0).isCloseTo(d21, within(1e-8));
  }

  @Test
  void statsMatchHandComputedMeanAndUnbiasedCovariance() {
    // rows (0,0), (2,0), (1,3): mean (1,1); deviations (-1,-1), (1,-1), (0,2)
    Frechet.Stats s = Frechet.stats(new double[] {0, 0, 2, 0, 1, 3}, 3, 2);
    assertThat(s.mean()).containsExactly(1, 1);
    assertThat(s.cov()[0][0]).isCloseTo(2 / 2.0, within(1e-12));
    assertThat(s.cov()[1][1]).isCloseTo(6 / 2.0, within(1e-12));
    assertThat(s.cov()[0][1]).isCloseTo(0, within(1e-12));
    assertThat(s.cov()[1][0]).isCloseTo(0, within(1e-12));
  }
}
