package org.diffuse4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.model.Model;
import org.diffuse4j.api.model.NetworkFactory;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Variable;

/**
 * The laws every {@code network} plugin keeps, checked on float32 graphs as the trainer builds them:
 * the output has the input's shape [B, dim] and is finite; the same seed builds the same weights
 * under the same variable names (so a checkpoint restores into a new graph) and another seed other
 * weights. Then, after one gradient-descent step on a regression loss (networks commonly
 * zero-initialise their output layer, as DDPM and ADM do, which at initialisation makes the output 0
 * and blocks every other gradient): every weight gets a non-zero gradient; each row's output depends
 * on that row only (no batch statistics: the engine's index-aligned chunks rely on it); and the
 * output depends on the time, and on the label for a conditional network. Each failure names what to
 * fix. Analytic models ({@code Model.network()} null, e.g. the {@code gmm} network) have nothing to
 * train and are out of scope.
 */
public final class NetworkConformance {
  private NetworkConformance() {}

  /** Rows of the checks. */
  static final int ROWS = 4;

  private static final double[] TIMES = {0.1, 0.4, 0.7, 0.95};

  /**
   * Every law for networks built by {@code factory} on data of width {@code dim}; {@code classes}
   * is the number of class labels the network was configured with (0: unconditional).
   */
  public static void assertConforms(NetworkFactory factory, int dim, int classes) {
    assertShapeAndSeed(factory, dim, classes);
    assertTrainsRowByRow(factory, dim, classes);
  }

  /** Output shape [B, dim] and finite; same seed → same names, weights and output; other seed → other weights. */
  public static void assertShapeAndSeed(NetworkFactory factory, int dim, int classes) {
    Initial a = initial(factory, dim, classes, 5);
    Initial b = initial(factory, dim, classes, 5);
    Initial c = initial(factory, dim, classes, 6);
    assertThat(a.classes).as("Model.classes() of a network configured with %d classes", classes).isEqualTo(classes);
    assertThat(a.output).as("output size of the network for %d rows of width %d: apply(x, t, c) must return x's shape", ROWS, dim)
        .hasSize(ROWS * dim);
    assertFinite(a.output, "output at initialisation: check the initialisation");
    assertThat(a.names).as("variable names of two builds with one seed: NetworkFactory.build must name its variables "
        + "the same way every time, or a checkpoint cannot be restored into a new graph").isEqualTo(b.names);
    assertThat(a.weights).as("initial weights of two builds with seed 5: they must be a function of the seed only")
        .containsExactly(b.weights);
    assertThat(a.output).as("output of two builds with seed 5").containsExactly(b.output);
    if (a.weights.length > 0) {
      assertThat(a.names).as("variable names with seed 5 and seed 6").isEqualTo(c.names);
      assertThat(a.weights).as("initial weights with seed 5 and seed 6: the seed passed to NetworkFactory.build must reach "
          + "the initialisers").isNotEqualTo(c.weights);
    }
  }

  /**
   * After one gradient-descent step: every variable gets a gradient, row i of a batch of 4 equals row
   * i computed alone (within float32 rounding: batched products may sum in another order), and the
   * output changes with the time and, if conditional, with the label.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static void assertTrainsRowByRow(NetworkFactory factory, int dim, int classes) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Backend b = new Backend(tf, Precision.FLOAT32);
      Model model = factory.build(b, dim, 5);
      List<Variable<?>> vars = model.variables();
      if (vars.isEmpty()) {
        return;
      }
      double[] x = CounterNoise.gaussian(11, 0, ROWS, dim, 0);
      double[] labels = labels(classes);
      Tensor target = b.constant(CounterNoise.gaussian(12, 0, ROWS, dim, 0), ROWS, dim);
      Tensor loss = apply(model, b, x, TIMES, labels, classes, 0, ROWS, dim).minus(target).square().mean();
      Gradients first = gradients(tf, loss, vars);
      List<Op> updates = new ArrayList<>();
      for (int i = 0; i < vars.size(); i++) {
        updates.add(tf.train.applyGradientDescent((Variable) vars.get(i), (Operand) b.scalar(0.05).op(), (Operand) first.dy(i)));
      }
      Op step = tf.withControlDependencies(updates).noOp();
      Tensor after = apply(model, b, x, TIMES, labels, classes, 0, ROWS, dim);
      Gradients second = gradients(tf, after.minus(target).square().mean(), vars);
      List<Tensor> fetched = new ArrayList<>();
      fetched.add(after);
      for (int r = 0; r < ROWS; r++) {
        fetched.add(apply(model, b, x, TIMES, labels, classes, r, 1, dim));
      }
      double[] same = new double[ROWS];
      Arrays.fill(same, 0.5);
      fetched.add(apply(model, b, x, new double[] {0.2, 0.2, 0.2, 0.2}, labels, classes, 0, ROWS, dim));
      fetched.add(apply(model, b, x, new double[] {0.8, 0.8, 0.8, 0.8}, labels, classes, 0, ROWS, dim));
      if (classes > 0) {
        double[] other = labels.clone();
        for (int i = 0; i < ROWS; i++) {
          other[i] = (labels[i] + 1) % classes;
        }
        fetched.add(apply(model, b, x, same, labels, classes, 0, ROWS, dim));
        fetched.add(apply(model, b, x, same, other, classes, 0, ROWS, dim));
      }
      try (Session s = new Session(g)) {
        s.runner().addTarget(step).run();
        Session.Runner r = s.runner();
        fetched.forEach(f -> r.fetch(f.op()));
        for (int i = 0; i < vars.size(); i++) {
          r.fetch(second.dy(i));
        }
        try (Result res = r.run()) {
          double[] batch = Feeds.values(res.get(0));
          assertFinite(batch, "output after one gradient step of learning rate 0.05");
          double scale = Arrays.stream(batch).map(Math::abs).max().orElse(0);
          for (int row = 0; row < ROWS; row++) {
            double[] alone = Feeds.values(res.get(1 + row));
            for (int j = 0; j < dim; j++) {
              assertThat(alone[j]).as("output[%d] of row %d alone vs in a batch of %d: each row's output must depend on that "
                  + "row only (no batch statistics), or chunked sampling changes with the chunk size", j, row, ROWS)
                  .isCloseTo(batch[row * dim + j], within(1e-5 * (1 + scale)));
            }
          }
          assertThat(Feeds.values(res.get(ROWS + 1))).as("output at t = 0.2 and at t = 0.8: the network must use the time "
              + "label it is given").isNotEqualTo(Feeds.values(res.get(ROWS + 2)));
          int next = ROWS + 3;
          if (classes > 0) {
            assertThat(Feeds.values(res.get(next))).as("output for two different labels of each row: a conditional network "
                + "must use Condition.labels()").isNotEqualTo(Feeds.values(res.get(next + 1)));
            next += 2;
          }
          for (int i = 0; i < vars.size(); i++) {
            double norm = Arrays.stream(Feeds.values(res.get(next + i))).map(v -> v * v).sum();
            assertThat(norm).as("squared gradient norm of variable '%s' after one training step: a weight no loss reaches "
                + "is dead (check that apply() uses it, and any stop-gradient)", vars.get(i).op().name()).isGreaterThan(0);
          }
        }
      }
    }
  }

  /** d loss / d vars, failing with the fix when a variable is not on any path to the output. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Gradients gradients(Ops tf, Tensor loss, List<Variable<?>> vars) {
    try {
      return tf.gradients(loss.op(), (Iterable) vars);
    } catch (org.tensorflow.exceptions.TFInvalidArgumentException e) {
      throw new AssertionError("a variable of Model.variables() is not on any path to the network's output (" + e.getMessage()
          + "): apply() must use every variable it creates, or the variable must not be listed", e);
    }
  }

  /** One fresh graph's initial state: the output on the fixed rows, variable names and values. */
  private record Initial(int classes, double[] output, List<String> names, double[] weights) {}

  private static Initial initial(NetworkFactory factory, int dim, int classes, long seed) {
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT32);
      Model model = factory.build(b, dim, seed);
      assertThat(model.network()).as("Model.network() of a network plugin (null only for analytic models)").isNotNull();
      Tensor out = apply(model, b, CounterNoise.gaussian(11, 0, ROWS, dim, 0), TIMES, labels(classes), classes, 0, ROWS, dim);
      List<String> names = new ArrayList<>();
      model.variables().forEach(v -> names.add(v.op().name()));
      try (Session s = new Session(g)) {
        Session.Runner runner = s.runner().fetch(out.op());
        model.variables().forEach(runner::fetch);
        try (Result res = runner.run()) {
          double[] weights = new double[0];
          for (int i = 1; i < res.size(); i++) {
            double[] v = Feeds.values(res.get(i));
            int at = weights.length;
            weights = Arrays.copyOf(weights, at + v.length);
            System.arraycopy(v, 0, weights, at, v.length);
          }
          return new Initial(model.classes(), Feeds.values(res.get(0)), names, weights);
        }
      }
    }
  }

  /** Labels 0, 1, 2, … modulo the class count (all 0 when unconditional). */
  private static double[] labels(int classes) {
    double[] labels = new double[ROWS];
    for (int i = 0; i < ROWS; i++) {
      labels[i] = classes > 0 ? i % classes : 0;
    }
    return labels;
  }

  /** The network on rows [first, first + n) of x, with times t and the labels. */
  private static Tensor apply(Model model, Backend b, double[] x, double[] t, double[] labels, int classes, int first, int n, int dim) {
    Tensor xs = b.constant(Arrays.copyOfRange(x, first * dim, (first + n) * dim), n, dim);
    Tensor ts = b.constant(Arrays.copyOfRange(t, first, first + n), n, 1);
    Condition c = classes > 0 ? new Condition(b.constant(Arrays.copyOfRange(labels, first, first + n), n)) : Condition.none();
    return model.network().apply(xs, ts, c);
  }

  private static void assertFinite(double[] v, String what) {
    for (int i = 0; i < v.length; i++) {
      assertThat(Double.isFinite(v[i])).as("value %d of the %s is %s", i, what, v[i]).isTrue();
    }
  }
}
