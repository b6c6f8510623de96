package org.diffuse4j.networks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

class MlpTest {
  private static final MlpOptions OPTIONS = new MlpOptions(16, 2, 8, Activation.SILU, 1000, 0);

  /** Evaluates the given outputs of a fresh graph holding one MLP with seed 5. */
  private static double[][] run(Precision precision, java.util.function.Function<Backend, List<Tensor>> build) {
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), precision);
      List<Tensor> outs = build.apply(b);
      try (Session s = new Session(g)) {
        Session.Runner r = s.runner();
        outs.forEach(o -> r.fetch(o.op()));
        try (Result res = r.run()) {
          double[][] v = new double[outs.size()][];
          for (int i = 0; i < v.length; i++) {
            v[i] = Feeds.values(res.get(i));
          }
          return v;
        }
      }
    }
  }

  private static Tensor x(Backend b) {
    return b.constant(CounterNoise.gaussian(1, 0, 4, 3, 0), 4, 3);
  }

  @Test
  void scalarTimeEqualsAConstantColumnAndOutputHasXShape() {
    double[][] v = run(Precision.FLOAT64, b -> {
      Mlp net = new Mlp(b, 3, OPTIONS, 5);
      Tensor scalar = net.apply(x(b), b.scalar(0.3), Condition.none());
      Tensor column = net.apply(x(b), b.constant(new double[] {0.3, 0.3, 0.3, 0.3}, 4, 1), Condition.none());
      Tensor other = net.apply(x(b), b.scalar(0.7), Condition.none());
      return List.of(scalar, column, other);
    });
    // bitwise: a scalar time is first broadcast to the same [B, 1] column (an exact copy), then the ops are the same
    assertThat(v[0]).hasSize(12).containsExactly(v[1]);
    assertThat(v[0]).isNotEqualTo(v[2]);
    assertThat(new Mlp(new Backend(Ops.create(new Graph()), Precision.FLOAT32), 3, OPTIONS, 5).variables()).hasSize(6);
  }

  @Test
  void sameSeedSameWeightsInEveryGraphAndOtherSeedDiffers() {
    double[] a = run(Precision.FLOAT32, b -> List.of(new Mlp(b, 3, OPTIONS, 5).apply(x(b), b.scalar(0.5), Condition.none())))[0];
    double[] c = run(Precision.FLOAT32, b -> List.of(new Mlp(b, 3, OPTIONS, 5).apply(x(b), b.scalar(0.5), Condition.none())))[0];
    double[] d = run(Precision.FLOAT32, b -> List.of(new Mlp(b, 3, OPTIONS, 6).apply(x(b), b.scalar(0.5), Condition.none())))[0];
    assertThat(a).containsExactly(c);
    assertThat(a).isNotEqualTo(d);
  }

  @Test
  void twoTimeNetworkReadsBothTimesAndAScalarPairEqualsColumns() {
    MlpOptions two = new MlpOptions(16, 2, 8, Activation.SILU, 10, 3, 2);
    double[][] v = run(Precision.FLOAT64, b -> {
      Mlp net = new Mlp(b, 3, two, 5);
      org.diffuse4j.api.FlowMapNetwork g = org.diffuse4j.api.FlowMapNetwork.of(net);
      Condition c = new Condition(b.constant(new double[] {0, 1, 2, -1}, 4));
      Tensor scalars = g.jump(x(b), b.scalar(0.8), b.scalar(0.3), c);
      Tensor columns = g.jump(x(b), b.constant(new double[] {0.8, 0.8, 0.8, 0.8}, 4, 1),
          b.constant(new double[] {0.3, 0.3, 0.3, 0.3}, 4, 1), c);
      Tensor otherEnd = g.jump(x(b), b.scalar(0.8), b.scalar(0.5), c);
      Tensor otherStart = g.jump(x(b), b.scalar(0.6), b.scalar(0.3), c);
      return List.of(scalars, columns, otherEnd, otherStart);
    });
    assertThat(v[0]).hasSize(12).containsExactly(v[1]);
    assertThat(v[0]).as("the end time is read").isNotEqualTo(v[2]);
    assertThat(v[0]).as("the start time is read").isNotEqualTo(v[3]);
    // the first layer takes x and two embeddings; the class embedding matches their joint width
    Mlp built = new Mlp(new Backend(Ops.create(new Graph()), Precision.FLOAT32), 3, two, 5);
    assertThat(built.variables().get(0).shape().asArray()).containsExactly(4, 16);
    assertThat(built.variables().get(1).shape().asArray()).containsExactly(3 + 2 * 8, 16);
  }

  @Test
  void guidanceInputReadsTheScaleAddsOneVariableAndRefusesAConditionWithoutIt() {
    MlpOptions guided = new MlpOptions(16, 2, 8, Activation.SILU, 1000, 3, 1, true);
    MlpOptions plain = new MlpOptions(16, 2, 8, Activation.SILU, 1000, 3, 1, false);
    double[][] v = run(Precision.FLOAT64, b -> {
      Mlp net = new Mlp(b, 3, guided, 5);
      Tensor labels = b.constant(new double[] {0, 1, 2, -1}, 4);
      Tensor t = b.scalar(0.4);
      return List.of(
          net.apply(x(b), t, new Condition(labels).withScale(b.scalar(2))),
          net.apply(x(b), t, new Condition(labels).withScale(b.constant(new double[] {2, 2, 2, 2}, 4, 1))),
          net.apply(x(b), t, new Condition(labels).withScale(b.scalar(3))),
          net.apply(x(b), t, new Condition(labels).withScale(b.constant(new double[] {2, 3, 2, 3}, 4))));
    });
    assertThat(v[0]).as("a scalar scale is a constant column").containsExactly(v[1], org.assertj.core.api.Assertions.within(1e-12));
    assertThat(v[0]).as("the scale is read").isNotEqualTo(v[2]);
    for (int i = 0; i < 12; i++) { // a per-example scale: rows 1 and 3 are the w = 3 rows
      assertThat(v[3][i]).isCloseTo(i / 3 % 2 == 0 ? v[0][i] : v[2][i], org.assertj.core.api.Assertions.within(1e-12));
    }
    Graph g = new Graph();
    try (g) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT32);
      Mlp net = new Mlp(b, 3, guided, 5);
      assertThat(net.variables()).hasSize(new Mlp(b, 3, plain, 5).variables().size() + 1);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> net.apply(x(b), b.scalar(0.5), Condition.none()))
          .hasMessageContaining("guidance_input").hasMessageContaining("distilled");
    }
    // off, a scale in the condition changes nothing: the network reads labels only
    double[][] off = run(Precision.FLOAT64, b -> {
      Mlp net = new Mlp(b, 3, plain, 5);
      Tensor labels = b.constant(new double[] {0, 1, 2, -1}, 4);
      return List.of(net.apply(x(b), b.scalar(0.4), new Condition(labels)),
          net.apply(x(b), b.scalar(0.4), new Condition(labels).withScale(b.scalar(3))));
    });
    assertThat(off[1]).containsExactly(off[0]);
  }
}
