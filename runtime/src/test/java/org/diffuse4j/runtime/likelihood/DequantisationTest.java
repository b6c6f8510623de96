package org.diffuse4j.runtime.likelihood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Bits per dimension with uniform dequantisation, against closed forms. */
class DequantisationTest {

  @Test
  void uniformModelOverTheDataRangeHasLog2LevelsBits() {
    // p_y uniform on [lo, hi]^d: nll = d·log(hi − lo); every one of L levels then has P = 1/L: log2 L bits
    int d = 784;
    for (double[] r : new double[][] {{-1, 1}, {0, 1}, {0, 255}}) {
      Dequantisation q = new Dequantisation(256, r[0], r[1]);
      assertThat(q.bitsPerDim(d * Math.log(r[1] - r[0]), d)).isCloseTo(8.0, within(1e-12));
    }
    assertThat(new Dequantisation(2, 0, 1).bitsPerDim(0, 10)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void imagesInMinusOneToOneGetSongEtAlsOffsetOfSeven() {
    // Song et al. 2021 (score_sde likelihood.py): bpd = nll / (d ln 2) + 7 for 8-bit data in [−1, 1]
    double nll = 1234.5;
    int d = 784;
    assertThat(Dequantisation.images().bitsPerDim(nll, d)).isCloseTo(nll / (d * Math.log(2)) + 7, within(1e-12));
  }

  @Test
  void dequantisedValuesStayInsideTheirLevelsCell() {
    Dequantisation q = Dequantisation.images();
    double[] x = new double[256];
    for (int k = 0; k < 256; k++) {
      x[k] = k / 127.5 - 1; // how Fashion-MNIST stores byte k
    }
    double[] y = q.apply(x, 1, 256, 3);
    for (int k = 0; k < 256; k++) {
      double lo = -1 + 2.0 * k / 256;
      assertThat(y[k]).isBetween(lo, lo + 2.0 / 256);
    }
    assertThat(q.apply(x, 1, 256, 3)).containsExactly(y); // reproducible
  }
}
