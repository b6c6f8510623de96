package org.diffuse4j.runtime.likelihood;

import java.io.Serializable;
import org.diffuse4j.api.analytic.GaussianMixture;

/**
 * What {@link Likelihoods} summarises, as moments of disjoint row sets that combine exactly up to
 * float rounding (the pairwise mean/variance update of Chan, Golub &amp; LeVeque 1979): with L_i the
 * per-sample log-density (mean over probes), n, mean = Σ L_i / n, m2 = Σ (L_i − mean)², the summed
 * probe variance of the mean Σ_i s_i²/K (NaN unless K ≥ 2), and, for the analytic {@code gmm}
 * network, Σ −log q(x_i) and Σ |L_i − log q(x_i)| (NaN otherwise).
 *
 * @param nfe network evaluations per sample (the largest of the parts)
 */
public record LikelihoodMoments(long n, double mean, double m2, double probeVariance, double trueNll, double absDiff, int nfe)
    implements Serializable {

  /** The moments of {@code l}'s rows, whose values {@code x} holds (row-major, dim wide); {@code mixture} may be null. */
  public static LikelihoodMoments of(Likelihoods l, double[] x, int dim, GaussianMixture mixture) {
    double[] per = l.perSample();
    int n = per.length;
    double mean = 0;
    for (double v : per) {
      mean += v;
    }
    mean /= n;
    double m2 = 0;
    for (double v : per) {
      m2 += (v - mean) * (v - mean);
    }
    double probe = Double.NaN;
    int k = n == 0 ? 0 : l.logp()[0].length;
    if (k >= 2) {
      probe = 0;
      for (double[] row : l.logp()) {
        double m = 0;
        for (double v : row) {
          m += v;
        }
        m /= k;
        double ss = 0;
        for (double v : row) {
          ss += (v - m) * (v - m);
        }
        probe += ss / (k - 1) / k;
      }
    }
    double trueNll = Double.NaN;
    double absDiff = Double.NaN;
    if (mixture != null) {
      trueNll = 0;
      absDiff = 0;
      for (int i = 0; i < n; i++) {
        double lp = mixture.logDensity(java.util.Arrays.copyOfRange(x, i * dim, (i + 1) * dim));
        trueNll -= lp;
        absDiff += Math.abs(per[i] - lp);
      }
    }
    return new LikelihoodMoments(n, n == 0 ? 0 : mean, m2, probe, trueNll, absDiff, l.nfe());
  }

  /** The moments of both row sets together. */
  public LikelihoodMoments plus(LikelihoodMoments o) {
    if (o.n == 0) {
      return this;
    }
    if (n == 0) {
      return o;
    }
    long total = n + o.n;
    double delta = o.mean - mean;
    return new LikelihoodMoments(total, mean + delta * o.n / total, m2 + o.m2 + delta * delta * n * o.n / total,
        probeVariance + o.probeVariance, trueNll + o.trueNll, absDiff + o.absDiff, Math.max(nfe, o.nfe));
  }

  /** Mean negative log-likelihood (nats per sample), as {@link Likelihoods#meanNll()}. */
  public double meanNll() {
    return -mean;
  }

  /** Standard error of the mean over samples, as {@link Likelihoods#stdError()} (NaN below 2 samples). */
  public double stdError() {
    return n < 2 ? Double.NaN : Math.sqrt(m2 / (n - 1) / n);
  }

  /** The Hutchinson probes' own standard error, as {@link Likelihoods#probeStdError()}. */
  public double probeStdError() {
    return Math.sqrt(probeVariance) / n;
  }
}
