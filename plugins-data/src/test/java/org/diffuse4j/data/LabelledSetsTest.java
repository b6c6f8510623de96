package org.diffuse4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.model.DataSet;
import org.junit.jupiter.api.Test;

/** Labels name the component that drew the row: checked against the nearest component mean. */
class LabelledSetsTest {
  private static int nearest(double[][] means, double x, double y) {
    int best = 0;
    for (int k = 1; k < means.length; k++) {
      if (Math.hypot(x - means[k][0], y - means[k][1]) < Math.hypot(x - means[best][0], y - means[best][1])) {
        best = k;
      }
    }
    return best;
  }

  private static double agreement(DataSet d, double[][] means, int n) {
    double[] xy = d.sample(11, 100, n);
    int[] l = d.labels(11, 100, n);
    int same = 0;
    int[] count = new int[means.length];
    for (int i = 0; i < n; i++) {
      same += nearest(means, xy[2 * i], xy[2 * i + 1]) == l[i] ? 1 : 0;
      count[l[i]]++;
    }
    for (int c : count) {
      assertThat(c).isPositive(); // every class occurs
    }
    return same / (double) n;
  }

  @Test
  void eightGaussiansLabelsAreTheComponentCountedFromAngleZero() {
    double r = Math.sqrt(2 * (1 - 0.15 * 0.15)) * 2;
    double[][] means = new double[8][];
    for (int k = 0; k < 8; k++) {
      means[k] = new double[] {r * Math.cos(2 * Math.PI * k / 8), r * Math.sin(2 * Math.PI * k / 8)};
    }
    DataSet d = LabelledSets.eightGaussians(2.0);
    assertThat(d.classes()).isEqualTo(8);
    // neighbours are 3.5 s.d. apart at scale 1: a few in 10,000 rows may sit nearer another mean
    assertThat(agreement(d, means, 4000)).isGreaterThan(0.995);
  }

  @Test
  void mixtureLabelsAreTheDrawnComponent() {
    GaussianMixture m = new GaussianMixture(new double[][] {{-4, 0}, {4, 0}, {0, 5}}, new double[] {0.3, 0.3, 0.3},
        new double[] {0.2, 0.5, 0.3});
    DataSet d = LabelledSets.mixture(m);
    assertThat(d.classes()).isEqualTo(3);
    assertThat(agreement(d, m.means(), 2000)).isEqualTo(1.0); // components 13 s.d. apart
  }
}
