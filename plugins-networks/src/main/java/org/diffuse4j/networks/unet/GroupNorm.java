package org.diffuse4j.networks.unet;

import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.op.math.Mean;

/**
 * Group normalisation (Wu &amp; He 2018, eq. 1–3): the C channels of an NHWC tensor are split into
 * G groups; each (sample, group) is normalised over its H·W·C/G values to mean 0, variance 1
 * (biased variance, ε = 1e-5), then scaled by γ and shifted by β per channel (γ = 1, β = 0 at start).
 * Built from reshape and mean only, whose gradients TensorFlow's C++ registry has.
 */
final class GroupNorm {
  static final double EPS = 1e-5;

  private final int groups;
  private final Tensor gamma;
  private final Tensor beta;

  GroupNorm(Params p, String name, int channels, int groups) {
    this.groups = groups;
    this.gamma = p.filled(name + "/gamma", 1, channels);
    this.beta = p.filled(name + "/beta", 0, channels);
  }

  Tensor apply(Tensor x) {
    return normalize(x, groups, gamma, beta);
  }

  /**
   * GN(x)·γ + β with γ folded into each (sample, group)'s scale, (x − μ)·(γ/√(σ² + ε)) + β: one
   * full-size product (and its gradient's) fewer than normalising first (measured 0.8–1.0× of the
   * U-Net step, docs/benchmarks.md). x must have static H, W and C; γ and β have C values.
   */
  static Tensor normalize(Tensor x, int groups, Tensor gamma, Tensor beta) {
    long h = x.shape().get(1);
    long w = x.shape().get(2);
    long c = x.shape().get(3);
    var tf = x.backend().tf();
    Tensor g = x.reshape(-1, h, w, groups, c / groups);
    var axes = tf.constant(new int[] {1, 2, 4});
    Tensor mean = x.backend().wrap(tf.math.mean(g.op(), axes, Mean.keepDims(true)));
    Tensor centred = g.minus(mean);
    Tensor var = x.backend().wrap(tf.math.mean(centred.square().op(), axes, Mean.keepDims(true)));
    Tensor scale = x.backend().wrap(tf.math.rsqrt(var.plus(EPS).op())).times(gamma.reshape(1, 1, 1, groups, c / groups));
    return centred.times(scale).plus(beta.reshape(1, 1, 1, groups, c / groups)).reshape(-1, h, w, c);
  }
}
