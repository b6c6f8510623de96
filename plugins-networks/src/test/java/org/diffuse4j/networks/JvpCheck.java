package org.diffuse4j.networks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * Test helper: {@link Tensor#jvp} of a graph built on fed float64 inputs against central finite
 * differences (f(x + h·v) − f(x − h·v))/2h, h = 1e-5, along fixed random tangents (or given ones).
 */
public final class JvpCheck {
  private static final double H = 1e-5;

  /**
   * Grappler off (as the runtime's sampling sessions): its first-run optimisation of a JVP graph
   * costs tens of seconds and is not what these checks are about.
   */
  public static final ConfigProto UNOPTIMISED = ConfigProto.newBuilder()
      .setGraphOptions(GraphOptions.newBuilder()
          .setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true))
          .setOptimizerOptions(OptimizerOptions.newBuilder().setOptLevel(OptimizerOptions.Level.L0)))
      .build();

  /** Worst |Jv − finite difference| over all outputs and the largest |Jv|. */
  public record Error(double worst, double scale) {}

  private JvpCheck() {}

  /** Checks f's JVP along random tangents for inputs of the given shapes; all values N(0, 1). */
  public static Error check(String name, BiFunction<Backend, List<Tensor>, Tensor> f, long[]... shapes) {
    List<double[]> x = new ArrayList<>();
    List<double[]> v = new ArrayList<>();
    for (int i = 0; i < shapes.length; i++) {
      int n = (int) Shape.of(shapes[i]).size();
      x.add(CounterNoise.gaussian(41, i, 1, n, 0));
      v.add(CounterNoise.gaussian(42, i, 1, n, 0));
    }
    return check(name, f, x, v, shapes);
  }

  /** Checks f's JVP at the given inputs along the given tangents; asserts |Jv − fd| ≤ 1e-6 (1 + |fd|). */
  public static Error check(String name, BiFunction<Backend, List<Tensor>, Tensor> f, List<double[]> x, List<double[]> v,
      long[]... shapes) {
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      List<Tensor> inputs = new ArrayList<>();
      List<Tensor> tangents = new ArrayList<>();
      for (int i = 0; i < shapes.length; i++) {
        inputs.add(b.placeholder("x" + i, shapes[i]));
        tangents.add(b.constant(v.get(i), shapes[i]));
      }
      Tensor y = f.apply(b, inputs);
      Tensor jv = y.jvp(inputs, tangents);
      try (Session s = new Session(g, UNOPTIMISED)) {
        double[] analytic = run(s, inputs, x, jv, shapes);
        double[] plus = run(s, inputs, shifted(x, v, H), y, shapes);
        double[] minus = run(s, inputs, shifted(x, v, -H), y, shapes);
        assertThat(analytic).as(name + " JVP size").hasSameSizeAs(plus);
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < analytic.length; i++) {
          double fd = (plus[i] - minus[i]) / (2 * H);
          assertThat(analytic[i]).as(name + " Jv[" + i + "]").isCloseTo(fd, within(1e-6 * (1 + Math.abs(fd))));
          worst = Math.max(worst, Math.abs(analytic[i] - fd));
          scale = Math.max(scale, Math.abs(analytic[i]));
        }
        assertThat(scale).as(name + ": a JVP that is zero everywhere tests nothing").isGreaterThan(1e-3);
        return new Error(worst, scale);
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
}
