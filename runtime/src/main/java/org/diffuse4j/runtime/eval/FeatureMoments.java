package org.diffuse4j.runtime.eval;

import java.io.Serializable;

/**
 * What {@code evaluate} needs from the classifier's outputs, as moments of disjoint row sets that
 * join exactly up to float rounding (the pairwise update of Chan, Golub &amp; LeVeque 1979, per
 * coordinate pair): n, the features' mean and co-moment C = Σ (f − mean)(f − mean)ᵀ, and the
 * counts of requested classes, of hits among them and of predicted classes. The Fréchet statistics
 * are (mean, C/(n − 1)); the class accuracy is hits / requested.
 */
public record FeatureMoments(long n, double[] mean, double[][] comoment, long[] requested, long[] hits, long[] predicted)
    implements Serializable {

  /** The moments of n rows of classifier output; {@code labels} the requested class of each row, or null (unconditional). */
  public static FeatureMoments of(FashionClassifier.Output o, int n, int[] labels) {
    int d = FashionClassifier.FEATURES;
    double[] f = o.features();
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        mean[j] += f[i * d + j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= Math.max(1, n);
    }
    double[][] c = new double[d][d];
    double[] dev = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        dev[j] = f[i * d + j] - mean[j];
      }
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++) {
          c[a][b] += dev[a] * dev[b];
        }
      }
    }
    symmetrise(c);
    long[] requested = new long[FashionClassifier.CLASSES];
    long[] hits = new long[FashionClassifier.CLASSES];
    long[] predicted = new long[FashionClassifier.CLASSES];
    for (int i = 0; i < n; i++) {
      predicted[o.classes()[i]]++;
      if (labels != null) {
        requested[labels[i]]++;
        hits[labels[i]] += o.classes()[i] == labels[i] ? 1 : 0;
      }
    }
    return new FeatureMoments(n, mean, c, requested, hits, predicted);
  }

  /** The moments of both row sets together. */
  public FeatureMoments plus(FeatureMoments o) {
    if (o.n == 0) {
      return this;
    }
    if (n == 0) {
      return o;
    }
    int d = mean.length;
    long total = n + o.n;
    double[] delta = new double[d];
    double[] m = new double[d];
    for (int j = 0; j < d; j++) {
      delta[j] = o.mean[j] - mean[j];
      m[j] = mean[j] + delta[j] * o.n / total;
    }
    double w = (double) n * o.n / total;
    double[][] c = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        c[a][b] = comoment[a][b] + o.comoment[a][b] + delta[a] * delta[b] * w;
      }
    }
    long[] r = new long[requested.length];
    long[] h = new long[hits.length];
    long[] p = new long[predicted.length];
    for (int k = 0; k < r.length; k++) {
      r[k] = requested[k] + o.requested[k];
      h[k] = hits[k] + o.hits[k];
      p[k] = predicted[k] + o.predicted[k];
    }
    return new FeatureMoments(total, m, c, r, h, p);
  }

  /** Mean and unbiased covariance, as {@link Frechet#stats}. */
  public Frechet.Stats stats() {
    int d = mean.length;
    double[][] cov = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        cov[a][b] = comoment[a][b] / (n - 1);
      }
    }
    return new Frechet.Stats(mean.clone(), cov);
  }

  private static void symmetrise(double[][] c) {
    for (int a = 0; a < c.length; a++) {
      for (int b = 0; b < a; b++) {
        c[a][b] = c[b][a];
      }
    }
  }
}
