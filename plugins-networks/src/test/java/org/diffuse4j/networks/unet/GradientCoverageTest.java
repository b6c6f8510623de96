package org.diffuse4j.networks.unet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.function.BiFunction;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * The ops the U-Net uses (and avg-pool, the alternative downsampler) have gradients in TensorFlow
 * 2.18's C++ registry, and those gradients agree with central finite differences (float64).
 */
class GradientCoverageTest {
  private static final long[] SHAPE = {2, 4, 4, 3};

  /** Checks d/dx sum(f(x) · r) against finite differences at a random x. */
  private static void check(String name, BiFunction<Backend, Tensor, Tensor> f) {
    int n = 2 * 4 * 4 * 3;
    double[] x = CounterNoise.gaussian(21, 0, 1, n, 0);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Backend b = new Backend(tf, Precision.FLOAT64);
      Tensor in = b.wrap(tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(SHAPE))));
      Tensor y = f.apply(b, in);
      int m = (int) y.shape().size();
      Tensor r = b.constant(CounterNoise.gaussian(22, 0, 1, m, 0), y.shape().asArray());
      Tensor loss = y.times(r).sum();
      Gradients grad = tf.gradients(loss.op(), List.of(in.op()));
      try (Session s = new Session(g)) {
        double[] analytic;
        try (var xt = Feeds.tensor(Precision.FLOAT64, x, SHAPE); Result res = s.runner().feed(in.op(), xt).fetch(grad.dy(0)).run()) {
          analytic = Feeds.values(res.get(0));
        }
        double h = 1e-6;
        for (int i = 0; i < n; i += 5) {
          double[] plus = x.clone();
          double[] minus = x.clone();
          plus[i] += h;
          minus[i] -= h;
          double fd = (value(s, in, loss, plus) - value(s, in, loss, minus)) / (2 * h);
          assertThat(analytic[i]).as(name + " d/dx[" + i + "]").isCloseTo(fd, within(1e-6 + 1e-6 * Math.abs(fd)));
        }
      }
    }
  }

  private static double value(Session s, Tensor in, Tensor loss, double[] x) {
    try (var xt = Feeds.tensor(Precision.FLOAT64, x, SHAPE); Result res = s.runner().feed(in.op(), xt).fetch(loss.op()).run()) {
      return Feeds.scalarValue(res.get(0));
    }
  }

  private static Tensor kernel(Backend b, long... shape) {
    return b.constant(CounterNoise.gaussian(23, 0, 1, (int) Shape.of(shape).size(), 0), shape);
  }

  @Test
  void conv2dStrideOneAndTwo() {
    check("conv2d", (b, x) -> b.wrap(b.tf().nn.conv2d(x.op(), kernel(b, 3, 3, 3, 5).op(), List.of(1L, 1L, 1L, 1L), "SAME")));
    check("conv2d/2", (b, x) -> b.wrap(b.tf().nn.conv2d(x.op(), kernel(b, 3, 3, 3, 5).op(), List.of(1L, 2L, 2L, 1L), "SAME")));
  }

  @Test
  void resizeNearestNeighbourAndAvgPool() {
    check("resizeNearestNeighbor", (b, x) -> b.wrap(b.tf().image.resizeNearestNeighbor(x.op(), b.tf().constant(new int[] {8, 8}))));
    check("resize to odd side", (b, x) -> b.wrap(b.tf().image.resizeNearestNeighbor(x.op(), b.tf().constant(new int[] {7, 7}))));
    check("avgPool", (b, x) -> b.wrap(b.tf().nn.avgPool(x.op(), List.of(1L, 2L, 2L, 1L), List.of(1L, 2L, 2L, 1L), "VALID")));
  }

  @Test
  void groupNormSoftmaxAndSilu() {
    check("groupNorm", (b, x) -> GroupNorm.normalize(x.times(2).plus(1), 3, b.constant(new double[] {0.5, 2, -1}, 3), b.constant(new double[] {0.25, 0, -1}, 3)));
    check("softmax", (b, x) -> b.wrap(b.tf().nn.softmax(x.reshape(2, 48).op())));
    check("silu", (b, x) -> x.silu());
  }

  @Test
  void batchMatMulAndAttention() {
    check("batchMatMul", (b, x) -> Attention.batchMatMul(x.reshape(2, 16, 3), x.times(x).reshape(2, 16, 3), false, true));
    check("attention", (b, x) -> {
      Params p = new Params(b, 1);
      return new Attention(p, "a", 3, 1).apply(x);
    });
  }

  @Test
  void attentionAsBroadcastProducts() {
    check("attention", (b, x) -> {
      Tensor q = x.reshape(2, 16, 1, 3);
      Tensor k = x.times(x).reshape(2, 1, 16, 3);
      Tensor w = b.wrap(b.tf().nn.softmax(q.times(k).sum(3).op()));
      return w.reshape(2, 16, 16, 1).times(x.reshape(2, 1, 16, 3)).sum(2);
    });
  }
}
