package org.diffuse4j.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.diffuse4j.api.plugin.Options;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Names;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.runtime.manifest.TrainingOptions;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;

/** The optimiser ops against the update rules written out in Java, on loss Σ(w − 1)². */
class UpdatesTest {
  private static final double[] W0 = {0.5, -1.0, 2.0};

  /** Runs {@code steps} steps at a constant lr; returns w after each step, then the used gradients. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static double[][] run(TrainingOptions o, int steps) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Backend be = new Backend(tf, Precision.FLOAT64);
      Variable<?> w = Names.named(tf, "w").variable((Operand) be.constant(W0, 3).op());
      Tensor loss = be.wrap(w).minus(1).square().sum();
      Updates u = new Updates(be, o, List.of(w), loss);
      double[][] out = new double[steps + 2][];
      try (Session s = new Session(g)) {
        try (Result r = s.runner().fetch(u.gradients.get(0).op()).fetch(u.gradNorm.op()).run()) {
          out[steps] = Feeds.values(r.get(0));
          out[steps + 1] = Feeds.values(r.get(1));
        }
        for (int k = 0; k < steps; k++) {
          try (var lr = Feeds.scalar(Precision.FLOAT64, o.learningRate(k));
              var b1 = Feeds.scalar(Precision.FLOAT64, Math.pow(Updates.BETA1, k + 1));
              var b2 = Feeds.scalar(Precision.FLOAT64, Math.pow(Updates.BETA2, k + 1));
              var d = Feeds.scalar(Precision.FLOAT64, k == 0 ? 0 : o.emaDecay(k))) {
            s.runner().feed(u.lr.op(), lr).feed(u.beta1Power.op(), b1).feed(u.beta2Power.op(), b2)
                .feed(u.emaDecay.op(), d).addTarget(u.train).run();
          }
          try (Result r = s.runner().fetch("w").run()) {
            out[k] = Feeds.values(r.get(0));
          }
        }
      }
      return out;
    }
  }

  /** Adam (Kingma &amp; Ba 2015, the "efficient" form TensorFlow uses) with optional decoupled decay. */
  private static double[][] reference(double lr, double decay, int steps) {
    double[] w = W0.clone();
    double[] m = new double[3];
    double[] v = new double[3];
    double[][] out = new double[steps][];
    for (int k = 1; k <= steps; k++) {
      double rate = lr * Math.sqrt(1 - Math.pow(0.999, k)) / (1 - Math.pow(0.9, k));
      for (int i = 0; i < 3; i++) {
        double g = 2 * (w[i] - 1);
        w[i] -= lr * decay * w[i];
        m[i] = 0.9 * m[i] + 0.1 * g;
        v[i] = 0.999 * v[i] + 0.001 * g * g;
        w[i] -= rate * m[i] / (Math.sqrt(v[i]) + 1e-8);
      }
      out[k - 1] = w.clone();
    }
    return out;
  }

  @Test
  void adamAndAdamWMatchTheUpdateRuleWrittenOut() {
    for (String opt : new String[] {"adam", "adamw"}) {
      TrainingOptions o = Options.bind(TrainingOptions.class,
          Map.of("optimizer", opt, "lr", 0.05, "weight_decay", 0.2), "training");
      double[][] got = run(o, 3);
      double[][] want = reference(0.05, opt.equals("adamw") ? 0.2 : 0, 3);
      for (int k = 0; k < 3; k++) {
        for (int i = 0; i < 3; i++) {
          assertThat(got[k][i]).as("%s step %d w[%d]", opt, k + 1, i).isCloseTo(want[k][i], within(1e-12));
        }
      }
    }
    // the decay moved the weights: AdamW differs from Adam by more than rounding
    double[] adam = reference(0.05, 0, 1)[0];
    double[] adamw = reference(0.05, 0.2, 1)[0];
    assertThat(Math.abs(adam[2] - adamw[2])).isGreaterThan(0.01);
  }

  @Test
  void clippingScalesAllGradientsByOneFactorToTheGlobalNorm() {
    double[] g = {2 * (W0[0] - 1), 2 * (W0[1] - 1), 2 * (W0[2] - 1)}; // −1, −4, 2: norm √21
    double norm = Math.sqrt(21);
    TrainingOptions clipped = Options.bind(TrainingOptions.class, Map.of("clip_norm", 0.5), "training");
    double[][] got = run(clipped, 0);
    assertThat(got[1][0]).isCloseTo(norm, within(1e-12));
    for (int i = 0; i < 3; i++) {
      assertThat(got[0][i]).isCloseTo(g[i] * 0.5 / norm, within(1e-12));
    }
    TrainingOptions loose = Options.bind(TrainingOptions.class, Map.of("clip_norm", 10), "training");
    assertThat(run(loose, 0)[0]).containsExactly(g); // below the bound: unchanged
    assertThat(run(Options.defaults(TrainingOptions.class), 0)[0]).containsExactly(g);
  }
}
