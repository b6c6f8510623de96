package org.diffuse4j.data;

import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.model.DataSet;
import org.diffuse4j.data.Toy2d;

/**
 * Data sets whose rows carry the id of the component that drew them: {@code 8-gaussians} (8 classes,
 * counter-clockwise from angle 0) and {@code gmm} (one class per mixture component). Each label
 * re-draws the same counter-based uniform the sampler used to pick the component, so it belongs to
 * the very row {@link DataSet#sample} returns.
 */
final class LabelledSets {
  private LabelledSets() {}

  /** The 8-gaussians set with labels; Toy2d picks the component as min(7, ⌊8·u⌋), u = uniform(seed, i, 0, 2). */
  static DataSet eightGaussians(double scale) {
    Toy2d set = Toy2d.of("8-gaussians");
    return new DataSet() {
      @Override
      public int dim() {
        return 2;
      }

      @Override
      public double[] sample(long seed, long first, int n) {
        return scaled(set.sample(seed, first, n), scale);
      }

      @Override
      public int classes() {
        return 8;
      }

      @Override
      public int[] labels(long seed, long first, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
          out[i] = Math.min(7, (int) (8 * CounterNoise.uniform(seed, first + i, 0, 2)));
        }
        return out;
      }
    };
  }

  /** Samples of a mixture labelled with their component (the pick of {@link GaussianMixture#sample}). */
  static DataSet mixture(GaussianMixture m) {
    return new DataSet() {
      @Override
      public int dim() {
        return m.dim();
      }

      @Override
      public double[] sample(long seed, long first, int n) {
        return m.sample(seed, first, n);
      }

      @Override
      public int classes() {
        return m.components();
      }

      @Override
      public int[] labels(long seed, long first, int n) {
        double[] w = m.weights();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
          double u = CounterNoise.uniform(seed, first + i, 0, m.dim());
          int k = 0;
          double acc = w[0];
          while (u > acc && k < w.length - 1) {
            k++;
            acc += w[k];
          }
          out[i] = k;
        }
        return out;
      }
    };
  }

  static double[] scaled(double[] v, double scale) {
    if (scale != 1.0) {
      for (int i = 0; i < v.length; i++) {
        v[i] *= scale;
      }
    }
    return v;
  }
}
