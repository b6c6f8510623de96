package org.diffuse4j.networks.unet;

import java.util.List;
import java.util.function.Function;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.networks.JvpCheck;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/**
 * The ops the U-Net uses have JVPs by two reverse passes ({@link Tensor#jvp}) that agree with
 * central finite differences in float64: their gradients have gradients (TensorFlow's C++ registry
 * plus the ones api's SecondOrderGradients adds).
 */
class JvpCoverageTest {
  private static final long[] SHAPE = {2, 4, 4, 3};

  private static void check(String name, Function<Tensor, Tensor> f) {
    JvpCheck.Error e = JvpCheck.check(name, (b, in) -> f.apply(in.get(0)), SHAPE); // asserts every element
    org.assertj.core.api.Assertions.assertThat(e.worst()).as("%s: worst |Jv - fd|", name).isLessThan(1e-6 * (2 + e.scale()));
    System.out.printf("jvp %-22s worst |Jv - fd| %.1e (max |Jv| %.1e)%n", name, e.worst(), e.scale());
  }

  private static Tensor kernel(Backend b, long... shape) {
    return b.constant(CounterNoise.gaussian(23, 0, 1, (int) Shape.of(shape).size(), 0), shape);
  }

  @Test
  void conv2dStrideOneAndTwo() {
    check("conv2d", x -> x.backend().wrap(x.backend().tf().nn.conv2d(x.op(), kernel(x.backend(), 3, 3, 3, 5).op(), List.of(1L, 1L, 1L, 1L), "SAME")));
    check("conv2d stride 2", x -> x.backend().wrap(x.backend().tf().nn.conv2d(x.op(), kernel(x.backend(), 3, 3, 3, 5).op(), List.of(1L, 2L, 2L, 1L), "SAME")));
  }

  @Test
  void resizeNearestNeighbour() {
    check("resizeNearestNeighbor", x -> x.backend().wrap(x.backend().tf().image.resizeNearestNeighbor(x.op(), x.backend().tf().constant(new int[] {7, 7}))));
  }

  @Test
  void groupNormSoftmaxAndSilu() {
    check("groupNorm", x -> GroupNorm.normalize(x.times(2).plus(1), 3, x.backend().constant(new double[] {0.5, 2, -1}, 3), x.backend().constant(new double[] {0.25, 0, -1}, 3)));
    check("softmax", x -> x.backend().wrap(x.backend().tf().nn.softmax(x.reshape(2, 48).op())));
    check("silu", Tensor::silu);
  }

  @Test
  void batchMatMulAndAttention() {
    check("batchMatMul", x -> Attention.batchMatMul(x.reshape(2, 16, 3), x.times(x).reshape(2, 16, 3), false, true));
    check("attention", x -> new Attention(new Params(x.backend(), 1), "a", 3, 1).apply(x));
  }
}
