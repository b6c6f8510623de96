package org.diffuse4j.networks.unet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Variable;

class UNetTest {
  /** Small: 8 channels, levels 28 → 14, one block, attention at 14, 10 classes. */
  static final UNetOptions SMALL = new UNetOptions(8, new int[] {1, 2}, 1, new int[] {14}, 4, 10, 1, 1000);

  private static Tensor images(Backend b, int n) {
    return b.constant(TrainingGraph.images(n), n, 28, 28, 1);
  }

  /** Graph-building step: the net plus the ops to run first (e.g. assignments) and the outputs to fetch. */
  private record Built(List<Operand<?>> before, List<Tensor> outputs) {}

  /** Builds a graph, initialises variables, runs {@code before} once and fetches the outputs. */
  private static double[][] run(Function<Backend, Built> build) {
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT32);
      Built built = build.apply(b);
      try (Session s = new Session(g)) {
        if (!built.before().isEmpty()) {
          Session.Runner r = s.runner();
          built.before().forEach(r::addTarget);
          r.run().close();
        }
        Session.Runner r = s.runner();
        built.outputs().forEach(o -> r.fetch(o.op()));
        try (Result res = r.run()) {
          double[][] v = new double[built.outputs().size()][];
          for (int i = 0; i < v.length; i++) {
            v[i] = Feeds.values(res.get(i));
          }
          return v;
        }
      }
    }
  }

  /** An op that overwrites the zero-initialised output conv with fixed N(0, 0.1²) values. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Operand<?> perturbOutput(Backend b, UNet net) {
    Variable<?> w = variable(net, "unet/out/conv/w");
    double[] v = CounterNoise.gaussian(99, 0, 1, (int) w.shape().size(), 7);
    for (int i = 0; i < v.length; i++) {
      v[i] *= 0.1;
    }
    return b.tf().assign((Operand) w, (Operand) b.constant(v, w.shape().asArray()).op());
  }

  private static Variable<?> variable(UNet net, String name) {
    return net.variables().stream().filter(v -> v.op().name().equals(name)).findFirst().orElseThrow();
  }

  private static double maxAbsDiff(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  @Test
  void outputHasTheInputShapeForDefaultAndSmallAndFlatInput() {
    for (UNetOptions o : List.of(UNetOptions.defaults(), SMALL)) {
      try (Graph g = new Graph()) {
        Backend b = new Backend(Ops.create(g), Precision.FLOAT32);
        UNet net = new UNet(b, 28, 28, o, 1);
        Condition c = o.num_classes() > 0 ? new Condition(b.constant(new double[] {3, -1}, 2)) : Condition.none();
        Tensor out = net.apply(images(b, 2), b.scalar(0.5), c);
        Tensor flat = net.apply(images(b, 2).reshape(2, 784), b.constant(new double[] {0.1, 0.9}, 2, 1), c);
        assertThat(out.shape().asArray()).containsExactly(2, 28, 28, 1);
        assertThat(flat.shape().asArray()).containsExactly(2, 784);
        try (Session s = new Session(g); Result r = s.runner().fetch(out.op()).fetch(flat.op()).run()) {
          assertThat(r.get(0).shape().asArray()).containsExactly(2, 28, 28, 1);
          assertThat(Feeds.values(r.get(0))).containsOnly(0.0); // zero-initialised output conv
          assertThat(r.get(1).shape().asArray()).containsExactly(2, 784);
        }
        System.out.printf("U-Net %s: %,d parameters, %d variables%n",
            o == SMALL ? "small" : "default", net.parameterCount(), net.variables().size());
      }
    }
  }

  @Test
  void twoTimeUNetReadsBothTimesAndAScalarPairEqualsColumns() {
    UNetOptions two = new UNetOptions(8, new int[] {1, 2}, 1, new int[] {14}, 4, 10, 1, 10, 2);
    double[][] v = run(b -> {
      UNet net = new UNet(b, 28, 28, two, 1);
      org.diffuse4j.api.FlowMapNetwork g = org.diffuse4j.api.FlowMapNetwork.of(net);
      Tensor x = images(b, 2);
      Condition c = new Condition(b.constant(new double[] {3, -1}, 2));
      return new Built(List.of(perturbOutput(b, net)), List.of(
          g.jump(x, b.scalar(0.8), b.scalar(0.3), c),
          g.jump(x, b.constant(new double[] {0.8, 0.8}, 2, 1), b.constant(new double[] {0.3, 0.3}, 2, 1), c),
          g.jump(x, b.scalar(0.8), b.scalar(0.5), c),
          g.jump(x, b.scalar(0.6), b.scalar(0.3), c)));
    });
    // scalar against column: other broadcasts, so equal to float32 rounding, not necessarily bitwise
    assertThat(v[0]).hasSize(2 * 784).containsExactly(v[1], org.assertj.core.api.Assertions.within(1e-5));
    assertThat(v[0]).as("the end time is read").isNotEqualTo(v[2]);
    assertThat(v[0]).as("the start time is read").isNotEqualTo(v[3]);
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT32);
      UNet net = new UNet(b, 28, 28, two, 1);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> net.apply(images(b, 2), b.scalar(0.5), Condition.none()))
          .hasMessageContaining("reads two times");
    }
  }

  @Test
  void guidanceInputUNetReadsTheScale() {
    UNetOptions guided = new UNetOptions(8, new int[] {1, 2}, 1, new int[] {14}, 4, 10, 1, 1000, 1, true);
    double[][] v = run(b -> {
      UNet net = new UNet(b, 28, 28, guided, 1);
      Tensor x = images(b, 2);
      Condition c = new Condition(b.constant(new double[] {3, -1}, 2));
      return new Built(List.of(perturbOutput(b, net)), List.of(
          net.apply(x, b.scalar(0.5), c.withScale(b.scalar(2))),
          net.apply(x, b.scalar(0.5), c.withScale(b.constant(new double[] {2, 2}, 2))),
          net.apply(x, b.scalar(0.5), c.withScale(b.scalar(4)))));
    });
    // scalar against column: other broadcasts, so equal to float32 rounding, not necessarily bitwise
    assertThat(v[0]).hasSize(2 * 784).containsExactly(v[1], org.assertj.core.api.Assertions.within(1e-5));
    assertThat(maxAbsDiff(v[0], v[2])).as("the scale is read").isGreaterThan(1e-4);
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT32);
      UNet net = new UNet(b, 28, 28, guided, 1);
      assertThat(net.variables().stream().map(w -> w.op().name()))
          .contains("unet/embed/guidance/w", "unet/embed/guidance/b");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> net.apply(images(b, 2), b.scalar(0.5), Condition.none()))
          .hasMessageContaining("guidance_input");
    }
  }

  @Test
  void variableNamesAreHierarchicalAndUnique() {
    try (Graph g = new Graph()) {
      UNet net = new UNet(new Backend(Ops.create(g), Precision.FLOAT32), 28, 28, SMALL, 1);
      List<String> names = net.variables().stream().map(v -> v.op().name()).toList();
      assertThat(names).doesNotHaveDuplicates().allMatch(n -> n.startsWith("unet/"))
          .contains("unet/in/w", "unet/down0/res0/conv1/w", "unet/down1/attn0/q/w", "unet/mid/res1/norm2/gamma",
              "unet/up0/res1/skip/w", "unet/embed/classes", "unet/out/conv/w");
    }
  }

  @Test
  void classEmbeddingChangesTheOutputAndNullClassIsItsOwnRow() {
    double[][] v = run(b -> {
      UNet net = new UNet(b, 28, 28, SMALL, 1);
      Tensor x = images(b, 2);
      Tensor t = b.scalar(0.4);
      return new Built(List.of(perturbOutput(b, net)), List.of(
          net.apply(x, t, new Condition(b.constant(new double[] {0, 0}, 2))),
          net.apply(x, t, new Condition(b.constant(new double[] {1, 1}, 2))),
          net.apply(x, t, Condition.none()),
          net.apply(x, t, new Condition(b.constant(new double[] {-1, -1}, 2))),
          net.apply(x, t, new Condition(b.constant(new double[] {0, 1}, 2)))));
    });
    assertThat(maxAbsDiff(v[0], v[1])).isGreaterThan(1e-3);
    assertThat(maxAbsDiff(v[0], v[2])).isGreaterThan(1e-3);
    assertThat(v[3]).containsExactly(v[2]); // a negative label is the null class
    // per-sample labels: row 0 of [0, 1] equals row 0 of [0, 0], row 1 equals row 1 of [1, 1]
    assertThat(java.util.Arrays.copyOfRange(v[4], 0, 784)).containsExactly(java.util.Arrays.copyOfRange(v[0], 0, 784));
    assertThat(java.util.Arrays.copyOfRange(v[4], 784, 1568)).containsExactly(java.util.Arrays.copyOfRange(v[1], 784, 1568));
  }

  @Test
  void timeLabelChangesTheOutputAndScalarEqualsColumn() {
    double[][] v = run(b -> {
      UNet net = new UNet(b, 28, 28, SMALL, 1);
      Tensor x = images(b, 2);
      return new Built(List.of(perturbOutput(b, net)), List.of(
          net.apply(x, b.scalar(0.2), Condition.none()),
          net.apply(x, b.constant(new double[] {0.2, 0.2}, 2, 1), Condition.none()),
          net.apply(x, b.scalar(0.7), Condition.none())));
    });
    assertThat(v[1]).containsExactly(v[0]);
    assertThat(maxAbsDiff(v[0], v[2])).isGreaterThan(1e-3);
  }

  private static double[] output(long seed) {
    return run(b -> {
      UNet net = new UNet(b, 28, 28, SMALL, seed);
      return new Built(List.of(perturbOutput(b, net)),
          List.of(net.apply(images(b, 2), b.scalar(0.5), new Condition(b.constant(new double[] {2, 5}, 2)))));
    })[0];
  }

  @Test
  void sameSeedGivesIdenticalOutputsAndAnotherSeedDiffers() {
    double[] a = output(5);
    double[] c = output(5);
    double[] d = output(6);
    assertThat(a).containsExactly(c);
    assertThat(maxAbsDiff(a, d)).isGreaterThan(1e-3);
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void everyVariableGetsAFiniteNonZeroGradient() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Backend b = new Backend(tf, Precision.FLOAT32);
      UNet net = new UNet(b, 28, 28, SMALL, 1);
      Operand<?> perturb = perturbOutput(b, net);
      Tensor eps = b.constant(CounterNoise.gaussian(4, 0, 3, 784, 0), 3, 28, 28, 1);
      Tensor labels = b.constant(new double[] {0, 7, -1}, 3);
      Tensor loss = net.apply(images(b, 3).times(0.8).plus(eps.times(0.6)), b.constant(new double[] {0.1, 0.5, 0.9}, 3, 1),
          new Condition(labels)).minus(eps).square().mean();
      List<Variable<?>> vars = net.variables();
      Gradients grads = tf.gradients(loss.op(), (Iterable) vars);
      try (Session s = new Session(g)) {
        s.runner().addTarget(perturb).run().close();
        Session.Runner r = s.runner();
        for (int i = 0; i < vars.size(); i++) {
          r.fetch(grads.dy(i));
        }
        List<String> zero = new ArrayList<>();
        try (Result res = r.run()) {
          for (int i = 0; i < vars.size(); i++) {
            double[] gv = Feeds.values(res.get(i));
            assertThat(gv).as(vars.get(i).op().name()).hasSize((int) vars.get(i).shape().size());
            double norm = 0;
            for (double x : gv) {
              assertThat(Double.isFinite(x)).as(vars.get(i).op().name()).isTrue();
              norm += x * x;
            }
            if (norm == 0) {
              zero.add(vars.get(i).op().name());
            }
          }
        }
        assertThat(zero).as("variables with an all-zero gradient").isEmpty();
      }
    }
  }

  @Test
  void thirtyAdamStepsOnAFixedBatchReduceTheLoss() {
    double[] x = TrainingGraph.images(8);
    double[] noise = CounterNoise.gaussian(11, 0, 8, 784, 0);
    double[] labels = {0, 1, 2, 3, 4, 5, 6, 7};
    try (TrainingGraph tg = new TrainingGraph(SMALL, 8, 2e-3, 1)) {
      double first = tg.step(x, noise, labels);
      double last = first;
      for (int k = 1; k < 30; k++) {
        last = tg.step(x, noise, labels);
        assertThat(Double.isFinite(last)).isTrue();
      }
      System.out.printf("U-Net smoke: loss %.4f -> %.4f after 30 Adam steps%n", first, last);
      assertThat(first).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.1)); // zero output: loss = E ε²
      assertThat(last).isLessThan(0.7 * first);
    }
  }

  /** Output of a net built with {@code seed} whose variables are restored from {@code prefix} (or saved there). */
  private static double[] outputAfter(long seed, String prefix, boolean save) {
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT32);
      UNet net = new UNet(b, 28, 28, SMALL, seed);
      Operand<?> perturb = perturbOutput(b, net);
      Tensor out = net.apply(images(b, 2), b.scalar(0.5), new Condition(b.constant(new double[] {2, 5}, 2)));
      try (Session s = new Session(g)) {
        if (save) {
          s.runner().addTarget(perturb).run().close();
          s.save(prefix);
        } else {
          s.restore(prefix);
        }
        try (Result r = s.runner().fetch(out.op()).run()) {
          return Feeds.values(r.get(0));
        }
      }
    }
  }

  @Test
  void aCheckpointRestoresByNameIntoANetBuiltWithAnotherSeed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    String prefix = dir.resolve("ckpt").toString();
    double[] saved = outputAfter(5, prefix, true);
    double[] restored = outputAfter(6, prefix, false);
    assertThat(restored).containsExactly(saved);
  }

  @Test
  void optionDefaultsAndBindingWorkThroughThePluginOptionMachinery() {
    UNetOptions d = org.diffuse4j.api.plugin.Options.defaults(UNetOptions.class);
    UNetOptions e = UNetOptions.defaults();
    assertThat(List.of(d.base_channels(), d.res_blocks(), d.groups(), d.num_classes(), d.channels()))
        .containsExactly(e.base_channels(), e.res_blocks(), e.groups(), e.num_classes(), e.channels());
    assertThat(d.channel_mult()).containsExactly(e.channel_mult());
    assertThat(d.attention_resolutions()).containsExactly(e.attention_resolutions());
    assertThat(d.time_scale()).isEqualTo(e.time_scale());
    UNetOptions bound = org.diffuse4j.api.plugin.Options.bind(UNetOptions.class,
        java.util.Map.of("num_classes", 10, "channel_mult", List.of(1, 2), "attention_resolutions", List.of()), "network");
    assertThat(bound.num_classes()).isEqualTo(10);
    assertThat(bound.channel_mult()).containsExactly(1, 2);
    assertThat(bound.attentionAt(7)).isFalse();
  }

  @Test
  void unconditionalNetRejectsLabelsAndGroupsMustDivideChannels() {
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT32);
      UNet net = new UNet(b, 28, 28, SMALL.withClasses(0), 1);
      assertThatThrownBy(() -> net.apply(images(b, 1), b.scalar(0.5), new Condition(b.constant(new double[] {1}, 1))))
          .hasMessageContaining("unconditional");
    }
    assertThatThrownBy(() -> new UNetOptions(12, new int[] {1, 2}, 1, new int[] {}, 8, 0, 1, 1000))
        .hasMessageContaining("groups = 8 does not divide");
  }
}
