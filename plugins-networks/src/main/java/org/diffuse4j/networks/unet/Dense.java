package org.diffuse4j.networks.unet;

import org.diffuse4j.api.tensor.Tensor;

/** A fully connected layer x·W + b on [B, in] rows, W LeCun normal (std = 1/√in). */
final class Dense {
  private final Tensor w;
  private final Tensor b;

  Dense(Params p, String name, int in, int out) {
    this.w = p.normal(name + "/w", 1 / Math.sqrt(in), in, out);
    this.b = p.filled(name + "/b", 0, 1, out);
  }

  Tensor apply(Tensor x) {
    return x.matmul(w).plusBias(b);
  }
}
