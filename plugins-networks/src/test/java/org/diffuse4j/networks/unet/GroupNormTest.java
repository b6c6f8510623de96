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
    double[] got;
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      Tensor out = GroupNorm.normalize(b.constant(x, n, h, w, c), groups, b.constant(gamma, c), b.constant(beta, c));
      try (Session s = new Session(g); Result r = s.runner().fetch(out.op()).run()) {
        got = Feeds.values(r.get(0));
      }
    }
    int per = c / groups;
    for (int s = 0; s < n; s++) {
      for (int grp = 0; grp < groups; grp++) {
        double sum = 0, sq = 0;
        int count = 0;
        for (int p = 0; p < h * w; p++) {
          for (int k = grp * per; k < (grp + 1) * per; k++) {
            double v = x[(s * h * w + p) * c + k];
            sum += v;
            sq += v * v;
            count++;
          }
        }
        double mean = sum / count;
        double var = sq / count - mean * mean;
        for (int p = 0; p < h * w; p++) {
          for (int k = grp * per; k < (grp + 1) * per; k++) {
            int idx = (s * h * w + p) * c + k;
            double want = (x[idx] - mean) / Math.sqrt(var + GroupNorm.EPS) * gamma[k] + beta[k];
            assertThat(got[idx]).isCloseTo(want, within(1e-9));
          }
        }
      }
    }
  }
}
