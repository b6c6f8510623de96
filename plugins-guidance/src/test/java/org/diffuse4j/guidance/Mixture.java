package org.diffuse4j.guidance;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Tensor;

/**
 * The test problem: the standard 2-D three-class mixture, four points with labels, and closed-form
 * references in Java doubles (each class is one component, so the conditional model of class y is
 * the single Gaussian N(μ_y, s_y²) and the unconditional one is the whole mixture).
 */
final class Mixture {
  static final GaussianMixture GM = GaussianMixture.standard2d();
  static final double[][] X = {{0.3, -0.2}, {-1.0, 0.5}, {1.2, 0.9}, {0.1, -1.4}};
  static final double[] LABELS = {0, 1, 2, 1};
  static final int B = X.length;
  static final int D = 2;

  private Mixture() {}

  static Tensor x(Backend b) {
    double[] flat = new double[B * D];
    for (int i = 0; i < B; i++) {
      System.arraycopy(X[i], 0, flat, i * D, D);
    }
    return b.constant(flat, B, D);
  }

  static Condition labels(Backend b) {
    return new Condition(b.constant(LABELS, B));
  }

  /** The single-Gaussian mixture of class y. */
  static GaussianMixture component(int y) {
    return new GaussianMixture(
        new double[][] {GM.means()[y]}, new double[] {GM.stds()[y]}, new double[] {1.0});
  }

  /** Exact E[x0 | x_t = X[i], class] (or unconditional when cls = -1). */
  static double[] x0(Schedule s, double t, int i, int cls) {
    return (cls < 0 ? GM : component(cls)).posteriorMean(s, t, X[i]);
  }

  /** Exact ε̂ = (x − α x̂0)/σ. */
  static double[] eps(Schedule s, double t, int i, int cls) {
    double[] x0 = x0(s, t, i, cls);
    double[] e = new double[D];
    for (int j = 0; j < D; j++) {
      e[j] = (X[i][j] - s.alpha(t) * x0[j]) / s.sigma(t);
    }
    return e;
  }

  /** Exact v = α ε̂ − σ x̂0. */
  static double[] v(Schedule s, double t, int i, int cls) {
    double[] x0 = x0(s, t, i, cls);
    double[] e = eps(s, t, i, cls);
    double[] v = new double[D];
    for (int j = 0; j < D; j++) {
      v[j] = s.alpha(t) * e[j] - s.sigma(t) * x0[j];
    }
    return v;
  }

  static int label(int i) {
    return (int) LABELS[i];
  }

  /** Path point with per-sample columns [B, 1] at the given times. */
  static PathPoint columns(Schedule s, double[] ts, Backend b) {
    return PathPoint.columns(s, ts, b);
  }
}
