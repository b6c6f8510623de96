package org.diffuse4j.networks.unet;

import org.diffuse4j.api.tensor.Tensor;

/**
 * Changing resolution between U-Net levels (Ho et al. 2020 App. B): down = 3×3 conv with stride 2
 * ("SAME", so side s becomes ⌈s/2⌉); up = nearest-neighbour resize to the matching skip's side,
 * then a 3×3 conv.
 */
final class Resample {
  private final Conv conv;
  private final int targetSide;

  private Resample(Conv conv, int targetSide) {
    this.conv = conv;
    this.targetSide = targetSide;
  }

  /** Halves the resolution. */
  static Resample down(Params p, String name, int channels) {
    return new Resample(new Conv(p, name + "/conv", channels, channels, 3, 2, 1), -1);
  }

  /** Resizes to side × side (nearest neighbour), then convolves. */
  static Resample up(Params p, String name, int channels, int side) {
    return new Resample(new Conv(p, name + "/conv", channels, channels, 3, 1, 1), side);
  }

  Tensor apply(Tensor x) {
    if (targetSide < 0) {
      return conv.apply(x);
    }
    var tf = x.backend().tf();
    var size = tf.constant(new int[] {targetSide, targetSide});
    return conv.apply(x.backend().wrap(tf.image.resizeNearestNeighbor(x.op(), size)));
  }
}
