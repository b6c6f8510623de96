package org.diffuse4j.networks.unet;

import java.util.List;
import org.diffuse4j.api.tensor.Tensor;

/**
 * A k×k 2-D convolution with bias on NHWC tensors, "SAME" padding, optional stride. Weights
 * [k, k, in, out] start as LeCun normal (std = gain/√(k²·in)); gain 0 gives a zero layer.
 */
final class Conv {
  private final Params params;
  private final Tensor w;
  private final Tensor b;
  private final long stride;

  Conv(Params p, String name, int in, int out, int k, int stride, double gain) {
    this.params = p;
    this.stride = stride;
    this.w = p.normal(name + "/w", gain / Math.sqrt((double) k * k * in), k, k, in, out);
    this.b = p.filled(name + "/b", 0, out);
  }

  Tensor apply(Tensor x) {
    var tf = params.backend().tf();
    return params.backend().wrap(tf.nn.conv2d(x.op(), w.op(), List.of(1L, stride, stride, 1L), "SAME")).plusBias(b);
  }
}
