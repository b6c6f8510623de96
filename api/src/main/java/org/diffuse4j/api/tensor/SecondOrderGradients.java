package org.diffuse4j.api.tensor;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ResizeNearestNeighbor;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Gradients of gradient ops that TensorFlow 2.18's C++ registry lacks, registered once per process
 * through TensorFlow Java's custom-gradient hook so that {@link Tensor#jvp} (two reverse passes) can
 * differentiate a backward pass. The formulas are those of TensorFlow's Python registry, e.g.
 * TanhGrad(y, g) = g(1 − y²) has ∂/∂y = −2yg·grad and ∂/∂g = TanhGrad(y, grad). Registration only
 * adds gradients for op types that have none, so it cannot change any existing gradient.
 */
final class SecondOrderGradients {
  private static boolean registered;

  private SecondOrderGradients() {}

  /** Registers the missing gradients (idempotent, thread-safe). */
  @SuppressWarnings("unchecked")
  static synchronized void ensureRegistered() {
    if (registered) {
      return;
    }
    // Each op is out = g·φ(y); its gradient is (grad·g·φ'(y), op(y, grad)).
    register("TanhGrad", (tf, y) -> tf.math.mul(y, c(tf, y, -2)), (tf, y, g) -> tf.math.tanhGrad(y, g));
    register("SigmoidGrad", (tf, y) -> tf.math.sub(c(tf, y, 1), tf.math.mul(y, c(tf, y, 2))), (tf, y, g) -> tf.math.sigmoidGrad(y, g));
    register("SqrtGrad", (tf, y) -> tf.math.div(c(tf, y, -0.5), tf.math.square(y)), (tf, y, g) -> tf.math.sqrtGrad(y, g));
    register("RsqrtGrad", (tf, y) -> tf.math.mul(tf.math.square(y), c(tf, y, -1.5)), (tf, y, g) -> tf.math.rsqrtGrad(y, g));
    register("ReciprocalGrad", (tf, y) -> tf.math.mul(y, c(tf, y, -2)), (tf, y, g) -> tf.math.reciprocalGrad(y, g));
    // ResizeNearestNeighborGrad(g, size) is the adjoint of the (linear) nearest-neighbour resize of
    // an image of g's side to `size`, so its gradient is that resize; `size` has none.
    TensorFlow.registerCustomGradient("ResizeNearestNeighborGrad", (tf, op, grads) -> {
      Operand<TNumber> g = (Operand<TNumber>) op.input(0);
      Operand<TInt32> side = tf.slice(tf.shape(g), tf.constant(new int[] {1}), tf.constant(new int[] {2}));
      Operand<TNumber> back = tf.image.resizeNearestNeighbor((Operand<TNumber>) grads.get(0), side,
          ResizeNearestNeighbor.alignCorners(op.attributes().getAttrBool("align_corners")),
          ResizeNearestNeighbor.halfPixelCenters(op.attributes().getAttrBool("half_pixel_centers")));
      return List.<Operand<?>>of(back, tf.zerosLike(op.input(1)));
    });
    // BiasAddGrad(g) sums g over every axis but the last; its gradient spreads grad [C] back over g's shape.
    TensorFlow.registerCustomGradient("BiasAddGrad", (tf, op, grads) ->
        List.<Operand<?>>of(tf.broadcastTo(grads.get(0), tf.shape(op.input(0)))));
    // The default initial gradient of tf.gradients is OnesLike(y): constant in y (Python's
    // NotDifferentiable), needed to differentiate a Tensor#gradient again.
    TensorFlow.registerCustomGradient("OnesLike", (tf, op, grads) -> List.<Operand<?>>of(tf.zerosLike(op.input(0))));
    registered = true;
  }

  /** φ'(y) of a gradient op out = g·φ(y). */
  private interface Slope {
    Operand<TNumber> apply(Ops tf, Operand<TNumber> y);
  }

  /** The gradient op itself, (y, g) ↦ g·φ(y). */
  private interface Same {
    Operand<TNumber> apply(Ops tf, Operand<TNumber> y, Operand<TNumber> g);
  }

  @SuppressWarnings("unchecked")
  private static void register(String opType, Slope slope, Same same) {
    TensorFlow.registerCustomGradient(opType, (tf, op, grads) -> {
      Operand<TNumber> y = (Operand<TNumber>) op.input(0);
      Operand<TNumber> g = (Operand<TNumber>) op.input(1);
      Operand<TNumber> grad = (Operand<TNumber>) grads.get(0);
      return List.<Operand<?>>of(tf.math.mul(tf.math.mul(grad, g), slope.apply(tf, y)), same.apply(tf, y, grad));
    });
  }

  /** A scalar constant of {@code like}'s type. */
  private static Operand<TNumber> c(Ops tf, Operand<TNumber> like, double v) {
    return tf.dtypes.cast(tf.constant(v), like.type());
  }
}
