package org.diffuse4j.runtime.likelihood;

/**
 * Per-sample log-likelihood estimates and their summary.
 *
 * <p>{@code logp[i][k]} is sample i's log-density with divergence channel k (one channel for the
 * exact trace, K for K Hutchinson probes). The summary: mean NLL = −mean_i L_i with
 * L_i = mean_k logp[i][k]; {@link #stdError()} = sd_i(L_i)/√n, the standard error of the mean over
 * data points (data spread plus probe noise); {@link #probeStdError()} =
 * √(Σ_i s_i²/K)/n with s_i² the variance of logp[i][·] across probes, the Monte Carlo error that
 * the Hutchinson estimator alone adds to the mean (NaN unless K ≥ 2).
 *
 * @param logp per-sample, per-channel log-densities (nats)
 * @param nfe network evaluations per sample
 */
public record Likelihoods(double[][] logp, int nfe) {

  /** Number of samples. */
  public int n() {
    return logp.length;
  }

  /** Per-sample log-density averaged over the channels. */
  public double[] perSample() {
    double[] l = new double[logp.length];
    for (int i = 0; i < l.length; i++) {
      double s = 0;
      for (double v : logp[i]) {
        s += v;
      }
      l[i] = s / logp[i].length;
    }
    return l;
  }

  /** Mean negative log-likelihood (nats per sample). */
  public double meanNll() {
    double s = 0;
    for (double v : perSample()) {
      s -= v;
    }
    return s / n();
  }

  /** Standard error of {@link #meanNll()} over samples. */
  public double stdError() {
    double[] l = perSample();
    int n = l.length;
    if (n < 2) {
      return Double.NaN;
    }
    double m = 0;
    for (double v : l) {
      m += v;
    }
    m /= n;
    double ss = 0;
    for (double v : l) {
      ss += (v - m) * (v - m);
    }
    return Math.sqrt(ss / (n - 1) / n);
  }

  /** Monte Carlo standard error of the mean due to the Hutchinson probes (NaN with fewer than 2). */
  public double probeStdError() {
    int k = logp.length == 0 ? 0 : logp[0].length;
    if (k < 2) {
      return Double.NaN;
    }
    double total = 0;
    for (double[] row : logp) {
      double m = 0;
      for (double v : row) {
        m += v;
      }
      m /= k;
      double ss = 0;
      for (double v : row) {
        ss += (v - m) * (v - m);
      }
      total += ss / (k - 1) / k; // variance of this sample's probe mean
    }
    return Math.sqrt(total) / logp.length;
  }
}
