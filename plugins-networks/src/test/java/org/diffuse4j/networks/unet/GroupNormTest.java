package org.diffuse4j.networks.unet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

class GroupNormTest {
  @Test
  void matchesAPlainJavaComputation() {
    int n = 2, h = 3, w = 2, c = 6, groups = 3;
    double[] x = CounterNoise.gaussian(8, 0, n, h * w * c, 0);
    for (int i = 0; i < x.length; i++) {
      x[i] = 3 * x[i] + 1.5; // not already normalised
    }
    double[] gamma = {0.5, 1, 1.5, 2, -1, 3}; // per channel
    double[] beta = {0, 0.25, -0.5, 1, 2, -3};
    double[] got = normalize(Precision.FLOAT64, x, new long[] {n, h, w, c}, groups, gamma, beta);
    double[] want = plainJava(x, n, h * w, c, groups, gamma, beta);
    for (int i = 0; i < want.length; i++) {
      assertThat(got[i]).isCloseTo(want[i], within(1e-9));
    }
  }

  /**
   * In float32, where σ² = E[x²] − μ² cancels: groups whose mean is ten times their spread (x = 5 +
   * 0.5·N(0, 1)) still normalise to within 1e-3 of the float64 plain-Java values (of size ~3).
   */
  @Test
  void float32KeepsItsDigitsWhenTheMeanIsTenTimesTheSpread() {
    int n = 2, h = 8, w = 8, c = 8, groups = 2;
    double[] x = CounterNoise.gaussian(9, 0, n, h * w * c, 0);
    for (int i = 0; i < x.length; i++) {
      x[i] = 0.5 * x[i] + 5;
    }
    double[] gamma = {1, 1, 1, 1, 1, 1, 1, 1};
    double[] beta = new double[c];
    double[] got = normalize(Precision.FLOAT32, x, new long[] {n, h, w, c}, groups, gamma, beta);
    double[] want = plainJava(x, n, h * w, c, groups, gamma, beta);
    double worst = 0;
    for (int i = 0; i < want.length; i++) {
      worst = Math.max(worst, Math.abs(got[i] - want[i]));
    }
    System.out.printf("groupNorm float32, mean/spread 10: worst |error| %.1e%n", worst);
    assertThat(worst).isLessThan(1e-3);
  }

  private static double[] normalize(Precision precision, double[] x, long[] shape, int groups, double[] gamma, double[] beta) {
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), precision);
      int c = (int) shape[3];
      Tensor out = GroupNorm.normalize(b.constant(x, shape), groups, b.constant(gamma, c), b.constant(beta, c));
      try (Session s = new Session(g); Result r = s.runner().fetch(out.op()).run()) {
        return Feeds.values(r.get(0));
      }
    }
  }

  /** Wu &amp; He's definition, (x − μ)/√(σ² + ε)·γ + β per (sample, group), with two-pass moments. */
  private static double[] plainJava(double[] x, int n, int pixels, int c, int groups, double[] gamma, double[] beta) {
    double[] out = new double[x.length];
    int per = c / groups;
    for (int s = 0; s < n; s++) {
      for (int grp = 0; grp < groups; grp++) {
        double sum = 0;
        for (int p = 0; p < pixels; p++) {
          for (int k = grp * per; k < (grp + 1) * per; k++) {
            sum += x[(s * pixels + p) * c + k];
          }
        }
        double mean = sum / (pixels * per);
        double sq = 0;
        for (int p = 0; p < pixels; p++) {
          for (int k = grp * per; k < (grp + 1) * per; k++) {
            double d = x[(s * pixels + p) * c + k] - mean;
            sq += d * d;
          }
        }
        double var = sq / (pixels * per);
        for (int p = 0; p < pixels; p++) {
          for (int k = grp * per; k < (grp + 1) * per; k++) {
            int idx = (s * pixels + p) * c + k;
            out[idx] = (x[idx] - mean) / Math.sqrt(var + GroupNorm.EPS) * gamma[k] + beta[k];
          }
        }
      }
    }
    return out;
  }
}
