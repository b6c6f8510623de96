package org.diffuse4j.api.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.diffuse4j.api.CounterNoise;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;

/**
 * {@link Tensor#jvp} (two reverse passes) against central finite differences
 * (f(x + h·v) − f(x − h·v))/2h in float64, h = 1e-5, on elementwise ops, reductions and matmul.
 */
class JvpTest {
  private static final double H = 1e-5;

  /** Builds f on placeholders of the given shapes and compares its JVP along random tangents with finite differences. */
  static double check(String name, Function<List<Tensor>, Tensor> f, long[]... shapes) {
    try (Graph g = new Graph()) {
      Backend b = new Backend(org.tensorflow.op.Ops.create(g), Precision.FLOAT64);
      List<Tensor> inputs = new ArrayList<>();
      List<Tensor> tangents = new ArrayList<>();
      List<double[]> x = new ArrayList<>();
      List<double[]> v = new ArrayList<>();
      for (int i = 0; i < shapes.length; i++) {
        int n = (int) Shape.of(shapes[i]).size();
        inputs.add(b.placeholder("x" + i, shapes[i]));
        x.add(CounterNoise.gaussian(31, i, 1, n, 0));
        v.add(CounterNoise.gaussian(32, i, 1, n, 0));
        tangents.add(b.constant(v.get(i), shapes[i]));
      }
      Tensor y = f.apply(inputs);
      Tensor jv = y.jvp(inputs, tangents);
      try (Session s = new Session(g)) {
        double[] analytic = run(s, inputs, x, jv, shapes);
        double[] plus = run(s, inputs, shifted(x, v, H), y, shapes);
        double[] minus = run(s, inputs, shifted(x, v, -H), y, shapes);
        assertThat(analytic).as(name + " shape").hasSameSizeAs(plus);
        double worst = 0;
        for (int i = 0; i < analytic.length; i++) {
          double fd = (plus[i] - minus[i]) / (2 * H);
          assertThat(analytic[i]).as(name + " Jv[" + i + "]").isCloseTo(fd, within(1e-7 * (1 + Math.abs(fd))));
          worst = Math.max(worst, Math.abs(analytic[i] - fd));
        }
        return worst;
      }
    }
  }

  private static List<double[]> shifted(List<double[]> x, List<double[]> v, double h) {
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < x.size(); i++) {
      double[] s = x.get(i).clone();
      for (int j = 0; j < s.length; j++) {
        s[j] += h * v.get(i)[j];
      }
      out.add(s);
    }
    return out;
  }

  private static double[] run(Session s, List<Tensor> inputs, List<double[]> x, Tensor out, long[][] shapes) {
    List<org.tensorflow.Tensor> feeds = new ArrayList<>();
    try {
      Session.Runner r = s.runner();
      for (int i = 0; i < inputs.size(); i++) {
        org.tensorflow.Tensor t = Feeds.tensor(Precision.FLOAT64, x.get(i), shapes[i]);
        feeds.add(t);
        r.feed(inputs.get(i).op(), t);
      }
      try (Result res = r.fetch(out.op()).run()) {
        return Feeds.values(res.get(0));
      }
    } finally {
      feeds.forEach(org.tensorflow.Tensor::close);
    }
  }

  private static final long[] M = {3, 4};

  @Test
  void elementwiseOps() {
    check("tanh", in -> in.get(0).tanh(), M);
    check("silu", in -> in.get(0).silu(), M);
    check("exp", in -> in.get(0).exp(), M);
    check("sigmoid", in -> in.get(0).sigmoid(), M);
    check("sin cos", in -> in.get(0).sin().times(in.get(0).cos()), M);
    check("square sqrt log", in -> in.get(0).square().plus(1).sqrt().log(), M);
    check("div", in -> in.get(0).div(in.get(1).square().plus(1)), M, M);
    check("expm1 rdiv", in -> in.get(0).expm1().rdiv(1).plus(in.get(0).neg().exp()), M);
  }

  @Test
  void matmulReductionsAndShapes() {
    check("matmul", in -> in.get(0).matmul(in.get(1)), new long[] {3, 4}, new long[] {4, 2});
    check("mean sum", in -> in.get(0).square().mean(1).plus(in.get(0).sum()), M);
    check("concat reshape", in -> in.get(0).concat(1, in.get(1).tanh()).reshape(-1, 2).square(), M, M);
    check("broadcast column", in -> in.get(0).times(in.get(1).sin()), new long[] {3, 4}, new long[] {3, 1});
    check("scalar input", in -> in.get(0).times(in.get(1).exp()).tanh(), new long[] {3, 4}, new long[] {});
  }

  @Test
  void biasAddAlongTheLastAxis() {
    check("dense bias [1, C]", in -> in.get(0).matmul(in.get(1)).plusBias(in.get(2)).silu(),
        new long[] {3, 4}, new long[] {4, 2}, new long[] {1, 2});
    check("conv-like bias [C]", in -> in.get(0).plusBias(in.get(1)).tanh(), new long[] {2, 3, 3, 4}, new long[] {4});
  }

  @Test
  void aJvpThroughBiasAddCanBeDifferentiatedAgain() {
    // Training through a JVP (MeanFlow, sCT): y = (tanh x + b)², Jv along (v, w) = 2(tanh x + b)(sech²x·v + w),
    // so ∂/∂b_c of Σ Jv = Σ_rows 2(sech²x·v + w)_c.
    double[] x = {0.3, -1.2, 0.8, 2.0, -0.4, 0.1};
    double[] v = {1, -0.5, 0.25, 2, 0.75, -1};
    double[] w = {0.5, -2};
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(org.tensorflow.op.Ops.create(g), Precision.FLOAT64);
      Tensor xt = b.constant(x, 3, 2);
      Tensor bias = b.constant(new double[] {0.2, -0.7}, 2);
      Tensor jv = xt.tanh().plusBias(bias).square().jvp(List.of(xt, bias), List.of(b.constant(v, 3, 2), b.constant(w, 2)));
      try (Result res = s.runner().fetch(jv.sum().gradient(bias).op()).run()) {
        double[] got = Feeds.values(res.get(0));
        for (int c = 0; c < 2; c++) {
          double want = 0;
          for (int r = 0; r < 3; r++) {
            double th = Math.tanh(x[2 * r + c]);
            want += 2 * ((1 - th * th) * v[2 * r + c] + w[c]);
          }
          assertThat(got[c]).isCloseTo(want, within(1e-12));
        }
      }
    }
  }

  @Test
  void mlpLikeChainInSeveralInputs() {
    // tanh(x W1 + t·a) W2 with the JVP along (v, w) jointly, as MeanFlow's along (z, r, t).
    check("mlp", in -> in.get(0).matmul(in.get(2)).plus(in.get(1).matmul(in.get(3))).silu().matmul(in.get(2).reshape(4, 5).reshape(5, 4)),
        new long[] {3, 4}, new long[] {3, 1}, new long[] {4, 5}, new long[] {1, 5});
  }

  @Test
  void linearMapGivesItsMatrixTimesTangentExactly() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(org.tensorflow.op.Ops.create(g), Precision.FLOAT64);
      Tensor a = b.constant(new double[] {1, 2, 3, 4}, 2, 2);
      Tensor x = b.constant(new double[] {0.5, -1}, 1, 2);
      Tensor jv = x.matmul(a).jvp(List.of(x), List.of(b.constant(new double[] {1, 10}, 1, 2)));
      try (Result res = s.runner().fetch(jv.op()).run()) {
        assertThat(Feeds.values(res.get(0))).containsExactly(31, 42);
      }
    }
  }

  /** f''(x) by gradient of gradient: exercises the added gradients' derivative in y, which a JVP does not use. */
  private static double[] secondDerivative(Function<Tensor, Tensor> f, double[] x) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      SecondOrderGradients.ensureRegistered();
      Backend b = new Backend(org.tensorflow.op.Ops.create(g), Precision.FLOAT64);
      Tensor in = b.constant(x, x.length);
      Tensor d2 = f.apply(in).sum().gradient(in).sum().gradient(in);
      try (Result res = s.runner().fetch(d2.op()).run()) {
        return Feeds.values(res.get(0));
      }
    }
  }

  @Test
  void addedGradientsHaveTheSecondDerivativesOfTheClosedForms() {
    double[] x = {0.3, 1.7, -0.9};
    double[] tanh = secondDerivative(Tensor::tanh, x);
    double[] sigmoid = secondDerivative(Tensor::sigmoid, x);
    double[] sqrt = secondDerivative(Tensor::sqrt, new double[] {0.3, 1.7, 2.5});
    double[] rsqrt = secondDerivative(t -> t.backend().wrap(t.backend().tf().math.rsqrt(t.op())), new double[] {0.3, 1.7, 2.5});
    double[] reciprocal = secondDerivative(t -> t.backend().wrap(t.backend().tf().math.reciprocal(t.op())), x);
    for (int i = 0; i < x.length; i++) {
      double th = Math.tanh(x[i]);
      double sg = 1 / (1 + Math.exp(-x[i]));
      double p = new double[] {0.3, 1.7, 2.5}[i];
      assertThat(tanh[i]).isCloseTo(-2 * th * (1 - th * th), within(1e-14));
      assertThat(sigmoid[i]).isCloseTo(sg * (1 - sg) * (1 - 2 * sg), within(1e-14));
      assertThat(sqrt[i]).isCloseTo(-0.25 * Math.pow(p, -1.5), within(1e-13));
      assertThat(rsqrt[i]).isCloseTo(0.75 * Math.pow(p, -2.5), within(1e-12));
      assertThat(reciprocal[i]).isCloseTo(2 / Math.pow(x[i], 3), within(1e-12));
    }
  }

  @Test
  void anInputTheOutputIgnoresContributesZero() {
    // As a network that ignores one of its times: TensorFlow alone refuses the unreachable input.
    check("ignored second input", in -> in.get(0).tanh(), M, new long[] {3, 1});
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(org.tensorflow.op.Ops.create(g), Precision.FLOAT64);
      Tensor x = b.constant(new double[] {0.5, -1}, 1, 2);
      Tensor y = b.constant(new double[] {2, 3}, 1, 2).exp();
      try (Result res = s.runner().fetch(y.jvp(List.of(x), List.of(x)).op()).run()) {
        assertThat(Feeds.values(res.get(0))).containsExactly(0, 0);
      }
    }
  }

  @Test
  void refusesMismatchedTangents() {
    try (Graph g = new Graph()) {
      Backend b = new Backend(org.tensorflow.op.Ops.create(g), Precision.FLOAT64);
      Tensor x = b.scalar(1);
      assertThatThrownBy(() -> x.exp().jvp(List.of(x), List.of()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one tangent per input");
    }
  }
}
