package org.diffuse4j.networks.unet;

import org.diffuse4j.api.plugin.Option;

/**
 * Options of the image {@link UNet} (Ho et al. 2020, "Denoising Diffusion Probabilistic Models",
 * App. B; class embedding as in Dhariwal &amp; Nichol 2021, "Diffusion Models Beat GANs").
 */
public record UNetOptions(
    @Option(doc = "channels of the first level", def = "32", min = 1, max = 1024) int base_channels,
    @Option(doc = "channel multiplier per level; each level after the first halves the resolution", def = "[1, 2, 2]", min = 1, max = 64) int[] channel_mult,
    @Option(doc = "residual blocks per level on the way down (the way up has one more)", def = "2", min = 1, max = 16) int res_blocks,
    @Option(doc = "resolutions (image side in pixels) that get self-attention, e.g. [7]; [] disables it", def = "[7]", min = 1, max = 4096) int[] attention_resolutions,
    @Option(doc = "GroupNorm groups; must divide every level's channel count", def = "8", min = 1, max = 1024) int groups,
    @Option(doc = "number of classes for class conditioning (0 = unconditional); row num_classes is the null class", def = "0", min = 0, max = 100000) int num_classes,
    @Option(doc = "image channels (1 for grey images, 3 for RGB)", def = "1", min = 1, max = 64) int channels,
    @Option(doc = "scale applied to t before the sinusoidal embedding (1000 matches DDPM's integer steps)", def = "1000", min = 0) double time_scale,
    @Option(doc = "time labels read: 1, or 2 for a two-time flow-map network (s, t), embedded as s and s − t", def = "1",
        min = 1, max = 2) int times,
    @Option(doc = "read the guidance scale w of the condition (a guidance-distilled student, Meng et al. 2023): "
        + "a sinusoidal embedding of w through a Dense, added to the time embedding's first Dense", def = "false")
        boolean guidance_input) {

  /** A U-Net that does not read the guidance scale. */
  public UNetOptions(int base_channels, int[] channel_mult, int res_blocks, int[] attention_resolutions, int groups,
      int num_classes, int channels, double time_scale, int times) {
    this(base_channels, channel_mult, res_blocks, attention_resolutions, groups, num_classes, channels, time_scale, times,
        false);
  }

  /** A one-time U-Net (times = 1). */
  public UNetOptions(int base_channels, int[] channel_mult, int res_blocks, int[] attention_resolutions, int groups,
      int num_classes, int channels, double time_scale) {
    this(base_channels, channel_mult, res_blocks, attention_resolutions, groups, num_classes, channels, time_scale, 1);
  }

  /** The defaults above: 32 channels, levels ×[1, 2, 2], 2 blocks, attention at 7×7, unconditional, grey. */
  public static UNetOptions defaults() {
    return new UNetOptions(32, new int[] {1, 2, 2}, 2, new int[] {7}, 8, 0, 1, 1000);
  }

  public UNetOptions {
    if (channel_mult.length == 0) {
      throw new IllegalArgumentException("channel_mult needs at least one level");
    }
    channel_mult = channel_mult.clone();
    attention_resolutions = attention_resolutions.clone();
    for (int m : channel_mult) {
      if ((base_channels * m) % groups != 0) {
        throw new IllegalArgumentException("groups = " + groups + " does not divide the level width "
            + base_channels + " × " + m + " = " + base_channels * m + "; choose groups dividing every level's channels");
      }
    }
  }

  /** A copy with another number of classes. */
  public UNetOptions withClasses(int numClasses) {
    return new UNetOptions(base_channels, channel_mult, res_blocks, attention_resolutions, groups, numClasses, channels,
        time_scale, times, guidance_input);
  }

  /** Whether the level with side {@code resolution} gets self-attention. */
  public boolean attentionAt(int resolution) {
    for (int r : attention_resolutions) {
      if (r == resolution) {
        return true;
      }
    }
    return false;
  }
}
