package org.diffuse4j.runtime.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.runtime.graph.Feeds;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

class BatchedDenoiserTest {
  /** The raw output is the x0 prediction. */
  private static final Parameterisation RAW_IS_X0 = new Parameterisation() {
    @Override
    public Prediction interpret(Tensor raw, Tensor x, PathPoint p) {
      return new Prediction(x, p, raw, x);
    }

    @Override
    public Tensor target(Tensor x0, Tensor eps, Tensor xt, PathPoint p) {
      return x0;
    }
  };

  @Test
  void labelledAndUnconditionalPredictionsShareOneCallWithTheNullLabelMinusOne() {
    try (Graph g = new Graph()) {
      Backend be = new Backend(Ops.create(g), Precision.FLOAT64);
      List<Long> batches = new ArrayList<>();
      // raw = x · (label + 2): the label each row saw is readable from the output
      Network net = (x, t, c) -> {
        batches.add(x.shape().get(0));
        return x.times(c.labels().reshape(-1, 1).plus(2));
      };
      Tensor x = be.constant(new double[] {1, 1, 1, 1, 1, 1}, 3, 2);
      Tensor s = be.scalar(0.5);
      PathPoint p = new PathPoint(s, s, s, s, s);
      Condition labels = new Condition(be.constant(new double[] {0, 1, 5}, 3));
      List<Prediction> out = new BatchedDenoiser(net, RAW_IS_X0).predictAll(x, p, List.of(labels, Condition.none()));
      assertThat(batches).containsExactly(6L); // one network call for both conditions
      try (Session sess = new Session(g);
          Result r = sess.runner().fetch(out.get(0).x0().op()).fetch(out.get(1).x0().op()).run()) {
        assertThat(Feeds.values(r.get(0))).containsExactly(2, 2, 3, 3, 7, 7);
        assertThat(Feeds.values(r.get(1))).containsExactly(1, 1, 1, 1, 1, 1); // label −1: the null class
      }
    }
  }
}
