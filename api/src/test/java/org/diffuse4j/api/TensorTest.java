package org.diffuse4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

class TensorTest {

  @Test
  void arithmeticMatchesJavaInGraphMode() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      Tensor x = b.constant(new double[] {1, 2, 3, 4}, 2, 2);
      Tensor y = x.times(2).plus(1).sqrt().minus(x.div(4)).neg();
      Tensor m = y.meanPerSample();
      try (TFloat64 out = (TFloat64) s.runner().fetch(m.op()).run().get(0)) {
        double r0 = -((Math.sqrt(3) - 0.25) + (Math.sqrt(5) - 0.5)) / 2;
        double r1 = -((Math.sqrt(7) - 0.75) + (Math.sqrt(9) - 1.0)) / 2;
        assertThat(out.getDouble(0)).isCloseTo(r0, within(1e-15));
        assertThat(out.getDouble(1)).isCloseTo(r1, within(1e-15));
      }
    }
  }

  @Test
  void gradientOfSumOfSquaresIsTwiceX() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      Tensor x = b.constant(new double[] {0.5, -1.5, 2.0}, 3, 1);
      Tensor grad = x.square().sum().gradient(x);
      try (TFloat64 out = (TFloat64) s.runner().fetch(grad.op()).run().get(0)) {
        assertThat(out.getDouble(1, 0)).isEqualTo(-3.0);
        assertThat(out.getDouble(2, 0)).isEqualTo(4.0);
      }
    }
  }
}
