package org.diffuse4j.runtime.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;

/**
 * The Java-only trace environment ({@link ShapeGraph}) infers the shapes and types TensorFlow's
 * own shape functions give, op for op, for the tensor expressions solver steps are made of, and
 * refuses what it does not infer; the reference is a real TensorFlow graph built from the same code.
 */
class ShapeGraphTest {
  /** Expressions over x [5, 2], a state [5, 2], t [5] and a noise [5, 1, 2], as solver steps write them. */
  private static final List<Function<Tensor[], Tensor>> STEPS = List.of(
      in -> in[0].times(0.5).plus(in[1].times(-0.25)).div(3.0).sqrt().exp().log(),
      in -> in[0].concat(0, in[1], in[0]).rows(5, 5).minus(in[1]),
      in -> in[0].concat(1, in[1]).reshape(-1, 2).rows(0, 5).square(),
      in -> in[2].reshape(5, 1).times(in[0]).rsub(1.0).rdiv(2.0),
      in -> in[3].plus(in[0]).mean(1).plus(in[0].sum(1).reshape(5, 1, 1).times(2.0)),
      in -> in[3].meanPerSample().plus(in[2]).times(in[0].sumPerSample()),
      in -> in[0].clip(-1, 1).wherePositive(in[1], in[2].reshape(5, 1)).max(in[1].neg()).min(in[0].abs()),
      in -> in[2].reshape(5, 1).broadcastLike(in[0]).plus(in[0].zerosLike()).tanh().sigmoid().silu(),
      in -> in[0].sin().cos().expm1().stopGradient().mean().plus(in[3].sum()).times(in[3]),
      in -> in[0].sum(0, 1).plus(in[1].mean(-1, 0)));

  private static Tensor[] inputs(Backend b) {
    return new Tensor[] {b.placeholder("x", 5, 2), b.placeholder("s", 5, 2), b.placeholder("t", 5),
        b.placeholder("noise", 5, 1, 2)};
  }

  @Test
  void shapesAndTypesAreTensorFlowsOpForOp() {
    for (Precision p : Precision.values()) {
      for (int i = 0; i < STEPS.size(); i++) {
        try (Graph g = new Graph()) {
          Tensor real = STEPS.get(i).apply(inputs(new Backend(Ops.create(g), p)));
          Tensor traced = STEPS.get(i).apply(inputs(new Backend(Ops.create(new ShapeGraph()), p)));
          assertThat(traced.shape()).as("expression %d, %s", i, p).isEqualTo(real.shape());
          assertThat(traced.op().asOutput().dataType()).isEqualTo(real.op().asOutput().dataType());
          assertThat(real.shape().hasUnknownDimension()).isFalse();
        }
      }
    }
  }

  @Test
  void refusesWhatItDoesNotInfer() {
    ExecutionEnvironment env = new ShapeGraph();
    Backend b = new Backend(Ops.create(env), Precision.FLOAT32);
    Tensor x = b.placeholder("x", 5, 2);
    // an op type it does not know, an unknown dimension, a shape TensorFlow would reject, an operand from elsewhere
    assertThatThrownBy(() -> x.matmul(b.placeholder("w", 2, 3))).isInstanceOf(ShapeGraph.Unknown.class);
    assertThatThrownBy(() -> b.placeholder("y", -1, 2).plus(1.0)).isInstanceOf(ShapeGraph.Unknown.class);
    assertThatThrownBy(() -> x.plus(b.placeholder("z", 3, 2))).isInstanceOf(ShapeGraph.Unknown.class);
    assertThatThrownBy(() -> x.rows(4, 2)).isInstanceOf(ShapeGraph.Unknown.class);
    assertThatThrownBy(() -> x.reshape(3, -1)).isInstanceOf(ShapeGraph.Unknown.class);
    try (Graph g = new Graph()) {
      Tensor outside = new Backend(Ops.create(g), Precision.FLOAT32).placeholder("o", 5, 2);
      assertThatThrownBy(() -> x.plus(b.wrap(outside.op()))).isInstanceOf(ShapeGraph.Unknown.class);
    }
    assertThatThrownBy(() -> x.gradient(x)).isInstanceOf(RuntimeException.class);
  }
}
