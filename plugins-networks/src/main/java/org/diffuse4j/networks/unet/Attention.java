package org.diffuse4j.networks.unet;

import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.op.train.BatchMatMul;

/**
 * Single-head self-attention over the H·W positions of a feature map, as in the DDPM U-Net
 * (Ho et al. 2020 App. B; Vaswani et al. 2017 eq. 1): with q, k, v 1×1 convolutions of GN(x),
 * out = x + proj(softmax(q kᵀ/√C) v), with batched matrix products (BatchMatMulV3, whose gradient
 * TensorFlow's C++ registry has; see GradientCoverageTest).
 */
final class Attention {
  private final GroupNorm norm;
  private final Conv q;
  private final Conv k;
  private final Conv v;
  private final Conv proj;
  private final int channels;

  Attention(Params p, String name, int channels, int groups) {
    this.channels = channels;
    norm = new GroupNorm(p, name + "/norm", channels, groups);
    q = new Conv(p, name + "/q", channels, channels, 1, 1, 1);
    k = new Conv(p, name + "/k", channels, channels, 1, 1, 1);
    v = new Conv(p, name + "/v", channels, channels, 1, 1, 1);
    proj = new Conv(p, name + "/proj", channels, channels, 1, 1, 1);
  }

  /** Batched matrix product a·b (or with a or b transposed) over the last two axes. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Tensor batchMatMul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
    var tf = a.backend().tf();
    return a.backend().wrap(tf.train.batchMatMul(a.op(), b.op(), (Class) a.backend().floatType(),
        BatchMatMul.adjX(transposeA), BatchMatMul.adjY(transposeB)));
  }

  Tensor apply(Tensor x) {
    long h = x.shape().get(1);
    long w = x.shape().get(2);
    long n = h * w;
    Tensor in = norm.apply(x);
    Tensor qs = q.apply(in).reshape(-1, n, channels);
    Tensor ks = k.apply(in).reshape(-1, n, channels);
    Tensor vs = v.apply(in).reshape(-1, n, channels);
    Tensor logits = batchMatMul(qs, ks, false, true).times(1 / Math.sqrt(channels)); // [B, N, N]
    Tensor weights = x.backend().wrap(x.backend().tf().nn.softmax(logits.op()));
    Tensor mixed = batchMatMul(weights, vs, false, false); // [B, N, C]
    return x.plus(proj.apply(mixed.reshape(-1, h, w, channels)));
  }
}
