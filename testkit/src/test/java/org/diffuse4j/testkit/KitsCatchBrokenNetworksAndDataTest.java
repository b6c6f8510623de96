package org.diffuse4j.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.model.DataSet;
import org.diffuse4j.api.model.Model;
import org.diffuse4j.api.model.NetworkFactory;
import org.diffuse4j.api.model.Weights;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.tensorflow.op.core.Variable;

/** The network and data kits pass a correct plugin and fail broken ones, naming what to fix. */
class KitsCatchBrokenNetworksAndDataTest {

  /** How the test network combines its weights: correctly, mixing rows, or ignoring the time. */
  enum Flaw { NONE, MIXES_ROWS, IGNORES_TIME, DEAD_WEIGHT }

  /** out = tanh(x W + t v) W₂ with W₂ zero at initialisation, or a flawed variant. */
  static NetworkFactory linear(Flaw flaw) {
    return (Backend b, int dim, long seed, Weights weights) -> {
      Tensor w = weights.create(b.tf().withName("w"), b.constant(CounterNoise.gaussian(seed, 0, dim, dim, 0), dim, dim));
      Tensor v = weights.create(b.tf().withName("v"), b.constant(CounterNoise.gaussian(seed, 1, 1, dim, 0), 1, dim));
      Tensor w2 = weights.create(b.tf().withName("w2"), b.constant(new double[dim * dim], dim, dim));
      Network net = (x, t, c) -> {
        Tensor in = flaw == Flaw.MIXES_ROWS ? x.minus(x.mean(0)) : x;
        Tensor h = in.matmul(w);
        if (flaw == Flaw.IGNORES_TIME) {
          h = h.plus(v);
        } else if (flaw != Flaw.DEAD_WEIGHT) {
          h = h.plus(t.times(v));
        }
        return h.tanh().matmul(w2);
      };
      List<Variable<?>> vars = weights.variables();
      return new Model() {
        public Network network() {
          return net;
        }

        public List<Variable<?>> variables() {
          return vars;
        }
      };
    };
  }

  @Test
  void networkKit() {
    NetworkConformance.assertConforms(linear(Flaw.NONE), 3, 0);
    assertThatThrownBy(() -> NetworkConformance.assertConforms(linear(Flaw.MIXES_ROWS), 3, 0))
        .hasMessageContaining("must depend on that row only");
    assertThatThrownBy(() -> NetworkConformance.assertConforms(linear(Flaw.IGNORES_TIME), 3, 0))
        .hasMessageContaining("must use the time");
    assertThatThrownBy(() -> NetworkConformance.assertConforms(linear(Flaw.DEAD_WEIGHT), 3, 0))
        .hasMessageContaining("apply() must use every variable");
  }

  /** Rows uniform in [0, 1), seeded by (seed, first + i) or, when broken, by where the draw starts. */
  record Uniform(boolean alignedToIndex) implements DataSet {
    public int dim() {
      return 2;
    }

    public double[] sample(long seed, long first, int n) {
      double[] out = new double[2 * n];
      for (int i = 0; i < 2 * n; i++) {
        out[i] = alignedToIndex ? CounterNoise.uniform(seed, first + i / 2, 0, i % 2) : CounterNoise.uniform(seed + first, i / 2, 0, i % 2);
      }
      return out;
    }
  }

  @Test
  void dataKit() {
    DataConformance.assertConforms(new Uniform(true), 16);
    assertThatThrownBy(() -> DataConformance.assertConforms(new Uniform(false), 16))
        .hasMessageContaining("must depend on (seed, first + i) only");
  }
}
