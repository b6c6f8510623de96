package org.diffuse4j.runtime.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.networks.Activation;
import org.diffuse4j.networks.Mlp;
import org.diffuse4j.networks.MlpOptions;
import org.diffuse4j.schedules.RectifiedFlow;
import org.diffuse4j.schedules.VelocityParameterisation;
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

  @Test
  void batchedPredictAllOfTheMlpEqualsSeparateCalls() {
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      Network mlp = new Mlp(b, 3, new MlpOptions(16, 2, 8, Activation.SILU, 1000, 0), 5);
      BatchedDenoiser d = new BatchedDenoiser(mlp, new VelocityParameterisation());
      Tensor x = b.constant(CounterNoise.gaussian(1, 0, 4, 3, 0), 4, 3);
      PathPoint p = PathPoint.at(new RectifiedFlow(), 0.4, b);
      List<Prediction> both = d.predictAll(x, p, List.of(Condition.none(), Condition.none()));
      Prediction one = d.predict(x, p, Condition.none());
      try (Session sess = new Session(g);
          Result r = sess.runner().fetch(both.get(0).x0().op()).fetch(both.get(1).eps().op())
              .fetch(one.x0().op()).fetch(one.eps().op()).run()) {
        // one call on 8 stacked rows vs one on 4: other matrix shapes may sum in another order (by CPU
        // kind), so float64 rounding (~1e-16 relative) may differ; 1e-12 leaves four orders of margin
        assertThat(Feeds.values(r.get(0))).containsExactly(Feeds.values(r.get(2)), within(1e-12));
        assertThat(Feeds.values(r.get(1))).containsExactly(Feeds.values(r.get(3)), within(1e-12));
      }
    }
  }
}
