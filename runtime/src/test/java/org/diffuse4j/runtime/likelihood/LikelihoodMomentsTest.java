package org.diffuse4j.runtime.likelihood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Moments of disjoint row sets, joined pairwise, give the two-pass summary of all rows. */
class LikelihoodMomentsTest {
  @Test
  void joinedPartsGiveTheSummaryOfAllRows() {
    SplittableRandom r = new SplittableRandom(5);
    int n = 1001;
    double[][] logp = new double[n][3];
    for (double[] row : logp) {
      double base = -2 + 3 * r.nextDouble() + 1e3; // an offset that a naive Σx² − n·mean² would lose digits to
      for (int k = 0; k < row.length; k++) {
        row[k] = base + 0.1 * r.nextGaussian();
      }
    }
    Likelihoods all = new Likelihoods(logp, 7);
    double[] x = new double[n];
    for (int[] cut : new int[][] {{0, n}, {0, 1, n}, {0, 400, 401, 1000, n}}) {
      LikelihoodMoments joined = null;
      for (int p = 0; p + 1 < cut.length; p++) {
        Likelihoods part = new Likelihoods(Arrays.copyOfRange(logp, cut[p], cut[p + 1]), 7);
        LikelihoodMoments m = LikelihoodMoments.of(part, Arrays.copyOfRange(x, cut[p], cut[p + 1]), 1, null);
        joined = joined == null ? m : joined.plus(m);
      }
      assertThat(joined.n()).isEqualTo(n);
      assertThat(joined.meanNll()).isCloseTo(all.meanNll(), within(1e-12 * Math.abs(all.meanNll())));
      assertThat(joined.stdError()).isCloseTo(all.stdError(), within(1e-9 * all.stdError()));
      assertThat(joined.probeStdError()).isCloseTo(all.probeStdError(), within(1e-9 * all.probeStdError()));
      assertThat(joined.nfe()).isEqualTo(7);
      assertThat(joined.trueNll()).isNaN();
    }
  }
}
