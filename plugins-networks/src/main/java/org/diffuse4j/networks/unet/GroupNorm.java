package org.diffuse4j.networks.unet;

import org.diffuse4j.api.tensor.Tensor;

/**
 * Group normalisation (Wu &amp; He 2018, eq. 1–3): the C channels of an NHWC tensor are split into
 * G groups; each (sample, group) is normalised over its H·W·C/G values to mean 0, variance 1
 * (biased variance, ε = 1e-5), then scaled by γ and shifted by β per channel (γ = 1, β = 0 at start).
 * Built from reshape, sum and element-wise ops only, whose gradients TensorFlow's C++ registry has.
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
   * GN(x)·γ + β as one per-(sample, channel) affine map x·a + b, a = γ/√(σ² + ε), b = β − μ·a, with μ
   * and σ² = E[x²] − μ² of each (sample, group) from per-channel sums over the pixels: five full-size
   * kernels forward and about nine in the gradient TensorFlow derives (centring first took six and about
   * fifteen; measured in docs/benchmarks.md). x must have static H, W and C; γ and β have C values.
   */
  static Tensor normalize(Tensor x, int groups, Tensor gamma, Tensor beta) {
    long h = x.shape().get(1);
    long w = x.shape().get(2);
    long c = x.shape().get(3);
    long per = c / groups;
    double count = h * w * per;
    Tensor pixels = x.reshape(-1, h * w, c);
    Tensor mean = groupSum(pixels, groups, per).times(1 / count);
    Tensor meanSquare = groupSum(pixels.square(), groups, per).times(1 / count);
    Tensor variance = meanSquare.minus(mean.square()).max(x.backend().scalar(0));
    var tf = x.backend().tf();
    Tensor a = x.backend().wrap(tf.math.rsqrt(variance.plus(EPS).op())).times(gamma.reshape(1, groups, per));
    Tensor b = beta.reshape(1, groups, per).minus(mean.times(a));
    return pixels.times(a.reshape(-1, 1, c)).plus(b.reshape(-1, 1, c)).reshape(-1, h, w, c);
  }

  /** Σ over the pixels and each group's channels of [B, P, C] values, as [B, G, 1]. */
  private static Tensor groupSum(Tensor pixels, int groups, long per) {
    return pixels.sum(1).reshape(-1, groups, per).sum(2).reshape(-1, groups, 1);
  }
}
