package org.diffuse4j.runtime.likelihood;

import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.plugin.OptionException;

/**
 * Uniform dequantisation of discrete data and bits per dimension (Theis et al. 2016; Ho et al.
 * 2020 §4.2; Song et al. 2021 §D.2). Pixel values k ∈ {0 … L−1} stored as y = lo + (hi − lo)·k/(L−1)
 * are recovered as k, then dequantised to y' = lo + (hi − lo)·(k + u)/L with u ~ U[0, 1)ᵈ. With
 * v = (k + u)/L ∈ [0, 1)ᵈ the cell of k has volume L⁻ᵈ and p_v(v) = p_y(y')·(hi − lo)ᵈ, so by Jensen
 * log P(k) ≥ E_u[log p_y(y')] + d·log(hi − lo) − d·log L, and
 * bpd = (−log p_y(y')/d − log(hi − lo) + log L) / ln 2, an upper bound on the discrete model's bits.
 * For 8-bit images in [−1, 1] this is nll/(d ln 2) + 7 (Song et al.'s offset).
 *
 * @param levels number of discrete levels L (256 for 8-bit images)
 * @param lo the stored value of level 0
 * @param hi the stored value of level L − 1
 */
public record Dequantisation(int levels, double lo, double hi) {

  public Dequantisation {
    if (levels < 2 || !(hi > lo)) {
      throw new OptionException("dequantisation needs levels >= 2 and hi > lo, got " + levels + ", [" + lo + ", " + hi + "]");
    }
  }

  /** 8-bit images scaled to [−1, 1] (v/127.5 − 1), as the Fashion-MNIST data set stores them. */
  public static Dequantisation images() {
    return new Dequantisation(256, -1, 1);
  }

  /** Dequantised copy of n rows of {@code x} (row-major n × dim): uniform noise of (seed, i) stream 0x0de. */
  public double[] apply(double[] x, int n, int dim, long seed) {
    double[] out = new double[x.length];
    double width = hi - lo;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < dim; j++) {
        int idx = i * dim + j;
        long k = Math.round((x[idx] - lo) / width * (levels - 1));
        k = Math.max(0, Math.min(levels - 1, k));
        double u = CounterNoise.uniform(seed, i, 0x0de, j);
        out[idx] = lo + width * (k + u) / levels;
      }
    }
    return out;
  }

  /** Bits per dimension from the mean negative log-density (nats) of dequantised data in model space. */
  public double bitsPerDim(double meanNll, int dim) {
    return (meanNll / dim - Math.log(hi - lo) + Math.log(levels)) / Math.log(2);
  }
}
