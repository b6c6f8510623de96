package org.diffuse4j.api.analytic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

class GaussianMixtureTest {

  /** VP with β from 0.1 to 20 written out here, independent of plugins-schedules. */
  static final Schedule VP = new Schedule() {
    double b(double t) { return 0.1 * t + 0.5 * 19.9 * t * t; }
    public double alpha(double t) { return Math.exp(-0.5 * b(t)); }
    public double sigma(double t) { return Math.sqrt(1 - Math.exp(-b(t))); }
    public double alphaDot(double t) { return -0.5 * (0.1 + 19.9 * t) * alpha(t); }
    public double sigmaDot(double t) { return 0.5 * (0.1 + 19.9 * t) * alpha(t) * alpha(t) / sigma(t); }
  };

  static final Schedule RF = new Schedule() {
    public double alpha(double t) { return 1 - t; }
    public double sigma(double t) { return t; }
    public double alphaDot(double t) { return -1; }
    public double sigmaDot(double t) { return 1; }
  };

  final GaussianMixture gm = GaussianMixture.standard2d();
  final double[][] points = {{0.3, -0.2}, {-1.2, 0.4}, {1.7, 1.1}, {0.0, -2.0}};

  @Test
  void scoreIsTheGradientOfTheMarginalLogDensity() {
    double h = 1e-5;
    for (Schedule s : new Schedule[] {VP, RF}) {
      for (double t : new double[] {0.05, 0.3, 0.8}) {
        for (double[] x : points) {
          double[] score = gm.score(s, t, x);
          for (int j = 0; j < 2; j++) {
            double[] up = x.clone();
            double[] dn = x.clone();
            up[j] += h;
            dn[j] -= h;
            double fd = (gm.logDensityAt(s, t, up) - gm.logDensityAt(s, t, dn)) / (2 * h);
            assertThat(score[j]).isCloseTo(fd, within(1e-6 * (1 + Math.abs(fd))));
          }
        }
      }
    }
  }

  @Test
  void tweedieLinksScoreAndPosteriorMean() {
    for (Schedule s : new Schedule[] {VP, RF}) {
      double t = 0.4;
      double a = s.alpha(t);
      double sg = s.sigma(t);
      for (double[] x : points) {
        double[] score = gm.score(s, t, x);
        double[] x0 = gm.posteriorMean(s, t, x);
        for (int j = 0; j < 2; j++) {
          assertThat(sg * sg * score[j]).isCloseTo(a * x0[j] - x[j], within(1e-12));
        }
      }
    }
  }

  @Test
  void posteriorMeanMatchesImportanceSamplingOverTheData() {
    // E[x0 | x_t = x] = E_{x0~p}[x0 N(x; α x0, σ²)] / E_{x0~p}[N(x; α x0, σ²)], by Monte Carlo
    int n = 200_000;
    double[] data = gm.sample(7, 0, n);
    double t = 0.5;
    double a = VP.alpha(t);
    double sg = VP.sigma(t);
    for (double[] x : points) {
      double num0 = 0, num1 = 0, den = 0;
      for (int i = 0; i < n; i++) {
        double r0 = x[0] - a * data[2 * i];
        double r1 = x[1] - a * data[2 * i + 1];
        double w = Math.exp(-(r0 * r0 + r1 * r1) / (2 * sg * sg));
        num0 += w * data[2 * i];
        num1 += w * data[2 * i + 1];
        den += w;
      }
      double[] exact = gm.posteriorMean(VP, t, x);
      assertThat(num0 / den).isCloseTo(exact[0], within(0.02));
      assertThat(num1 / den).isCloseTo(exact[1], within(0.02));
    }
  }

  @Test
  void samplesHaveTheMixtureMeanAndCovariance() {
    int n = 100_000;
    double[] x = gm.sample(3, 0, n);
    double m0 = 0, m1 = 0;
    for (int i = 0; i < n; i++) {
      m0 += x[2 * i] / n;
      m1 += x[2 * i + 1] / n;
    }
    double c00 = 0, c01 = 0, c11 = 0;
    for (int i = 0; i < n; i++) {
      double d0 = x[2 * i] - m0;
      double d1 = x[2 * i + 1] - m1;
      c00 += d0 * d0 / n;
      c01 += d0 * d1 / n;
      c11 += d1 * d1 / n;
    }
    // mean and covariance of the mixture written out by hand
    double e0 = 0.5 * -1.5 + 0.3 * 1.5 + 0.2 * 0.0;
    double e1 = 0.5 * 0.0 + 0.3 * 0.5 + 0.2 * -1.5;
    double s2 = 0.5 * 0.09 + 0.3 * 0.25 + 0.2 * 0.16;
    double x00 = 0.5 * 2.25 + 0.3 * 2.25 + 0.0;
    double x01 = 0.0 + 0.3 * 0.75 + 0.0;
    double x11 = 0.0 + 0.3 * 0.25 + 0.2 * 2.25;
    assertThat(gm.mean()).containsExactly(new double[] {e0, e1}, within(1e-12));
    assertThat(gm.covariance()[0][0]).isCloseTo(s2 + x00 - e0 * e0, within(1e-12));
    assertThat(gm.covariance()[0][1]).isCloseTo(x01 - e0 * e1, within(1e-12));
    assertThat(m0).isCloseTo(e0, within(0.015));
    assertThat(m1).isCloseTo(e1, within(0.015));
    assertThat(c00).isCloseTo(s2 + x00 - e0 * e0, within(0.03));
    assertThat(c01).isCloseTo(x01 - e0 * e1, within(0.03));
    assertThat(c11).isCloseTo(s2 + x11 - e1 * e1, within(0.03));
    // counter-based: the same sample ids give the same values whatever the batch
    double[] tail = gm.sample(3, 10, 5);
    for (int i = 0; i < 10; i++) {
      assertThat(tail[i]).isEqualTo(x[20 + i]);
    }
  }

  @Test
  void densityIntegratesToOne() {
    double h = 0.02;
    double sum = 0;
    for (double u = -6; u < 6; u += h) {
      for (double v = -6; v < 6; v += h) {
        sum += Math.exp(gm.logDensity(new double[] {u + h / 2, v + h / 2})) * h * h;
      }
    }
    assertThat(sum).isCloseTo(1.0, within(1e-4));
  }

  @Test
  void graphDenoiserMatchesTheJavaPosteriorMean() {
    int rows = points.length;
    double[] flat = new double[rows * 2];
    for (int i = 0; i < rows; i++) {
      flat[2 * i] = points[i][0];
      flat[2 * i + 1] = points[i][1];
    }
    double t = 0.35;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      Tensor x = b.constant(flat, rows, 2);
      PathPoint p = PathPoint.at(VP, t, b);
      Prediction all = gm.denoiser(VP).predict(x, p, Condition.none());
      Prediction one = gm.denoiser(VP).predict(x, p, new Condition(b.constant(new double[] {0, 1, 2, 1}, rows)));
      var out = s.runner().fetch(all.x0().op()).fetch(all.eps().op()).fetch(one.x0().op()).run();
      try (TFloat64 x0 = (TFloat64) out.get(0); TFloat64 eps = (TFloat64) out.get(1);
          TFloat64 x0k = (TFloat64) out.get(2)) {
        int[] labels = {0, 1, 2, 1};
        for (int i = 0; i < rows; i++) {
          double[] exact = gm.posteriorMean(VP, t, points[i]);
          double[] score = gm.score(VP, t, points[i]);
          int k = labels[i];
          GaussianMixture single = new GaussianMixture(
              new double[][] {gm.means()[k]}, new double[] {gm.stds()[k]}, new double[] {1});
          double[] exactK = single.posteriorMean(VP, t, points[i]);
          for (int j = 0; j < 2; j++) {
            assertThat(x0.getDouble(i, j)).isCloseTo(exact[j], within(1e-12));
            assertThat(eps.getDouble(i, j)).isCloseTo(-VP.sigma(t) * score[j], within(1e-12));
            assertThat(x0k.getDouble(i, j)).isCloseTo(exactK[j], within(1e-12));
          }
        }
      }
    }
  }

  @Test
  void float32DenoiserAgreesToSinglePrecision() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT32);
      Tensor x = b.constant(new double[] {0.3, -0.2, 1.7, 1.1}, 2, 2);
      Prediction pr = gm.denoiser(VP).predict(x, PathPoint.at(VP, 0.2, b),
          new Condition(b.constant(new double[] {2, 0}, 2)));
      try (org.tensorflow.types.TFloat32 x0 = (org.tensorflow.types.TFloat32) s.runner().fetch(pr.x0().op()).run().get(0)) {
        GaussianMixture c2 = new GaussianMixture(new double[][] {gm.means()[2]}, new double[] {0.4}, new double[] {1});
        GaussianMixture c0 = new GaussianMixture(new double[][] {gm.means()[0]}, new double[] {0.3}, new double[] {1});
        assertThat((double) x0.getFloat(0, 1)).isCloseTo(c2.posteriorMean(VP, 0.2, new double[] {0.3, -0.2})[1], within(1e-5));
        assertThat((double) x0.getFloat(1, 0)).isCloseTo(c0.posteriorMean(VP, 0.2, new double[] {1.7, 1.1})[0], within(1e-5));
      }
    }
  }

  @Test
  void perSampleTimesGiveEachRowItsOwnPosterior() {
    double[] ts = {0.1, 0.6};
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      Tensor x = b.constant(new double[] {0.3, -0.2, 1.7, 1.1}, 2, 1, 2);
      PathPoint p = new PathPoint(
          b.constant(ts, 2, 1, 1),
          b.constant(new double[] {RF.alpha(ts[0]), RF.alpha(ts[1])}, 2, 1, 1),
          b.constant(new double[] {RF.sigma(ts[0]), RF.sigma(ts[1])}, 2, 1, 1),
          b.constant(new double[] {-1, -1}, 2, 1, 1),
          b.constant(new double[] {1, 1}, 2, 1, 1));
      // rank-3 input [B, 1, 2] with per-sample columns [B, 1, 1], as during training
      Prediction pr = gm.denoiser(RF).predict(x, p, Condition.none());
      var out = s.runner().fetch(pr.x0().op()).fetch(pr.eps().op()).run();
      try (TFloat64 x0 = (TFloat64) out.get(0); TFloat64 eps = (TFloat64) out.get(1)) {
        double[] e0 = gm.posteriorMean(RF, ts[0], new double[] {0.3, -0.2});
        double[] e1 = gm.posteriorMean(RF, ts[1], new double[] {1.7, 1.1});
        assertThat(x0.getDouble(0, 0, 0)).isCloseTo(e0[0], within(1e-12));
        assertThat(x0.getDouble(0, 0, 1)).isCloseTo(e0[1], within(1e-12));
        assertThat(x0.getDouble(1, 0, 1)).isCloseTo(e1[1], within(1e-12));
        assertThat(eps.getDouble(1, 0, 0)).isCloseTo((1.7 - (1 - ts[1]) * e1[0]) / ts[1], within(1e-12));
      }
    }
  }

  @Test
  void pointCloudDenoiserIsTheSoftmaxAverageOfPoints() {
    double[][] pts = {{0, 0}, {1, 2}, {-1, 0.5}};
    PointCloud pc = new PointCloud(pts);
    double t = 0.3;
    double a = RF.alpha(t);
    double s = RF.sigma(t);
    double[] x = {0.2, 0.7};
    double[] w = new double[3];
    double z = 0;
    for (int i = 0; i < 3; i++) {
      double d0 = x[0] - a * pts[i][0];
      double d1 = x[1] - a * pts[i][1];
      w[i] = Math.exp(-(d0 * d0 + d1 * d1) / (2 * s * s));
      z += w[i];
    }
    double[] m = pc.posteriorMean(RF, t, x);
    for (int j = 0; j < 2; j++) {
      double ref = (w[0] * pts[0][j] + w[1] * pts[1][j] + w[2] * pts[2][j]) / z;
      assertThat(m[j]).isCloseTo(ref, within(1e-13));
    }
    assertThat(pc.size()).isEqualTo(3);
    assertThatThrownBy(() -> pc.mixture().logDensity(x)).hasMessageContaining("point mass");
  }

  @Test
  void rejectsMalformedMixtures() {
    assertThatThrownBy(() -> new GaussianMixture(new double[][] {{0, 0}}, new double[] {-1}, new double[] {1}))
        .hasMessageContaining("std >= 0");
    assertThatThrownBy(() -> new GaussianMixture(new double[][] {{0, 0}, {1}}, new double[] {1, 1}, new double[] {1, 1}))
        .hasMessageContaining("dimension");
    // CounterNoise is used for sampling: the first coordinate of sample 0 is reproducible
    double[] one = gm.sample(11, 0, 1);
    assertThat(one[0]).isEqualTo(gm.sample(11, 0, 1)[0]);
    assertThat(CounterNoise.uniform(11, 0, 0, 2)).isBetween(0.0, 1.0);
  }
}
