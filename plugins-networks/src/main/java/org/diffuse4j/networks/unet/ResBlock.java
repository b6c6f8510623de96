package org.diffuse4j.networks.unet;

import org.diffuse4j.api.tensor.Tensor;

/**
 * The residual block of DDPM / ADM (Ho et al. 2020 App. B; Dhariwal &amp; Nichol 2021 §3):
 * h = conv₃(SiLU(GN(x))); h += Dense(SiLU(emb)) per channel; h = conv₃(SiLU(GN(h)));
 * out = skip(x) + h, where skip is a 1×1 conv when the channel count changes, else identity.
 */
final class ResBlock {
  private final GroupNorm norm1;
  private final Conv conv1;
  private final Dense embProj;
  private final GroupNorm norm2;
  private final Conv conv2;
  private final Conv skip;
  private final int out;

  ResBlock(Params p, String name, int in, int out, int embDim, int groups) {
    this.out = out;
    norm1 = new GroupNorm(p, name + "/norm1", in, groups);
    conv1 = new Conv(p, name + "/conv1", in, out, 3, 1, 1);
    embProj = new Dense(p, name + "/emb", embDim, out);
    norm2 = new GroupNorm(p, name + "/norm2", out, groups);
    conv2 = new Conv(p, name + "/conv2", out, out, 3, 1, 1);
    skip = in == out ? null : new Conv(p, name + "/skip", in, out, 1, 1, 1);
  }

  /** x [B, H, W, in], embSilu = SiLU(embedding) [B, E] → [B, H, W, out]. */
  Tensor apply(Tensor x, Tensor embSilu) {
    Tensor h = conv1.apply(norm1.apply(x).silu());
    h = h.plus(embProj.apply(embSilu).reshape(-1, 1, 1, out));
    h = conv2.apply(norm2.apply(h).silu());
    return (skip == null ? x : skip.apply(x)).plus(h);
  }
}
