package org.diffuse4j.networks.unet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.model.Model;
import org.diffuse4j.api.model.Weights;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.op.core.Variable;

/**
 * A small image U-Net in the style of DDPM (Ho et al. 2020, App. B) and ADM (Dhariwal &amp; Nichol
 * 2021): 3×3 input conv; per level {@code res_blocks} residual blocks (+ self-attention at the chosen
 * resolutions), then a stride-2 downsample; a middle of block, attention, block; the mirrored way up
 * with {@code res_blocks + 1} blocks per level, each taking the matching skip by concatenation, and
 * nearest-neighbour upsampling; GN → SiLU → a zero-initialised 3×3 output conv. Every block sees the
 * time embedding plus the class embedding (null class for {@link Condition#none()}).
 *
 * <p>Input x is [B, H, W, C] (NHWC) or the same flattened row-major to [B, H·W·C]; the output has
 * x's shape. Variables are named {@code unet/...} and start from {@code seed} deterministically.
 */
public final class UNet implements Network, Model {
  private record Level(List<ResBlock> blocks, List<Attention> attention, Resample resample) {}

  private final int height;
  private final int width;
  private final int channels;
  private final int classes;
  private final Params params;
  private final Embedding embedding;
  private final Conv convIn;
  private final List<Level> down = new ArrayList<>();
  private final ResBlock mid1;
  private final Attention midAttention;
  private final ResBlock mid2;
  private final List<Level> up = new ArrayList<>();
  private final GroupNorm normOut;
  private final Conv convOut;

  /** Adds the U-Net's variables for height × width × options.channels() images to the backend's graph. */
  public UNet(Backend backend, int height, int width, UNetOptions o, long seed) {
    this(backend, height, width, o, seed, Weights.trainable());
  }

  /** As above, with the weights from {@code weights} (e.g. fixed values of a trained run). */
  public UNet(Backend backend, int height, int width, UNetOptions o, long seed, Weights weights) {
    if (height != width) {
      throw new IllegalArgumentException("only square images are supported, got " + height + "×" + width);
    }
    this.height = height;
    this.width = width;
    this.channels = o.channels();
    this.classes = o.num_classes();
    this.params = new Params(backend, seed, weights);
    int base = o.base_channels();
    int embDim = 4 * base;
    int g = o.groups();
    embedding = new Embedding(params, "unet/embed", base + base % 2, embDim, o.num_classes(), o.time_scale(), o.times(),
        o.guidance_input());
    convIn = new Conv(params, "unet/in", channels, base, 3, 1, 1);

    Deque<Integer> skipChannels = new ArrayDeque<>();
    List<Integer> sides = new ArrayList<>();
    skipChannels.push(base);
    int ch = base;
    int side = height;
    int levels = o.channel_mult().length;
    for (int i = 0; i < levels; i++) {
      sides.add(side);
      String name = "unet/down" + i;
      List<ResBlock> blocks = new ArrayList<>();
      List<Attention> attention = new ArrayList<>();
      int out = base * o.channel_mult()[i];
      for (int j = 0; j < o.res_blocks(); j++) {
        blocks.add(new ResBlock(params, name + "/res" + j, ch, out, embDim, g));
        attention.add(o.attentionAt(side) ? new Attention(params, name + "/attn" + j, out, g) : null);
        ch = out;
        skipChannels.push(ch);
      }
      Resample resample = null;
      if (i < levels - 1) {
        resample = Resample.down(params, name + "/down", ch);
        side = (side + 1) / 2;
        skipChannels.push(ch);
      }
      down.add(new Level(blocks, attention, resample));
    }
    mid1 = new ResBlock(params, "unet/mid/res0", ch, ch, embDim, g);
    midAttention = o.attentionAt(side) ? new Attention(params, "unet/mid/attn", ch, g) : null;
    mid2 = new ResBlock(params, "unet/mid/res1", ch, ch, embDim, g);
    for (int i = levels - 1; i >= 0; i--) {
      String name = "unet/up" + i;
      List<ResBlock> blocks = new ArrayList<>();
      List<Attention> attention = new ArrayList<>();
      int out = base * o.channel_mult()[i];
      for (int j = 0; j <= o.res_blocks(); j++) {
        blocks.add(new ResBlock(params, name + "/res" + j, ch + skipChannels.pop(), out, embDim, g));
        attention.add(o.attentionAt(sides.get(i)) ? new Attention(params, name + "/attn" + j, out, g) : null);
        ch = out;
      }
      Resample resample = i > 0 ? Resample.up(params, name + "/up", ch, sides.get(i - 1)) : null;
      up.add(new Level(blocks, attention, resample));
    }
    normOut = new GroupNorm(params, "unet/out/norm", ch, g);
    convOut = new Conv(params, "unet/out/conv", ch, channels, 3, 1, 0);
  }

  /** A U-Net for square images flattened to rows of {@code dim} = side²·channels values. */
  public static UNet forFlatImages(Backend backend, int dim, UNetOptions o, long seed, Weights weights) {
    int side = (int) Math.round(Math.sqrt((double) dim / o.channels()));
    if (side * side * o.channels() != dim) {
      throw new IllegalArgumentException("data width " + dim + " is not a square image with " + o.channels() + " channel(s)");
    }
    return new UNet(backend, side, side, o, seed, weights);
  }

  @Override
  public int classes() {
    return classes;
  }

  @Override
  public Tensor apply(Tensor x, Tensor t, Condition condition) {
    boolean flat = x.rank() == 2;
    Tensor h = flat ? x.reshape(-1, height, width, channels) : x;
    Tensor emb = embedding.apply(h, t, condition).silu();
    h = convIn.apply(h);
    Deque<Tensor> skips = new ArrayDeque<>();
    skips.push(h);
    for (Level level : down) {
      for (int j = 0; j < level.blocks().size(); j++) {
        h = block(level, j, h, emb);
        skips.push(h);
      }
      if (level.resample() != null) {
        h = level.resample().apply(h);
        skips.push(h);
      }
    }
    h = mid1.apply(h, emb);
    if (midAttention != null) {
      h = midAttention.apply(h);
    }
    h = mid2.apply(h, emb);
    for (Level level : up) {
      for (int j = 0; j < level.blocks().size(); j++) {
        h = block(level, j, h.concat(3, skips.pop()), emb);
      }
      if (level.resample() != null) {
        h = level.resample().apply(h);
      }
    }
    Tensor out = convOut.apply(normOut.apply(h).silu());
    return flat ? out.reshape(-1, (long) height * width * channels) : out;
  }

  private static Tensor block(Level level, int j, Tensor h, Tensor emb) {
    Tensor out = level.blocks().get(j).apply(h, emb);
    Attention a = level.attention().get(j);
    return a == null ? out : a.apply(out);
  }

  @Override
  public Network network() {
    return this;
  }

  @Override
  public List<Variable<?>> variables() {
    return params.variables();
  }

  /** Number of trainable scalars. */
  public long parameterCount() {
    long n = 0;
    for (Variable<?> v : params.variables()) {
      n += v.shape().size();
    }
    return n;
  }
}
