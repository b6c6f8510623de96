package org.diffuse4j.runtime.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.diffuse4j.runtime.sample.Chunks;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The evaluation classifier for 28×28×1 images in [−1, 1]: conv 3×3 32 + ReLU → max-pool 2 → conv
 * 3×3 64 + ReLU → max-pool 2 → dense 128 + ReLU (the {@linkplain #FEATURES features}) → dense 10
 * (logits). Trained with Adam on softmax cross-entropy, in one TensorFlow graph (float32), weights
 * He-normal from a seeded {@link Random}, variables named {@code classifier/LAYER/w|b} so a
 * checkpoint restores by name.
 */
public final class FashionClassifier implements AutoCloseable {
  /** Width of the feature layer the Fréchet distance uses. */
  public static final int FEATURES = 128;
  /** Number of classes. */
  public static final int CLASSES = 10;
  /** Values per image. */
  public static final int PIXELS = 28 * 28;
  /** Images per classifier call of {@code evaluate} and of the cached test statistics. */
  public static final int CHUNK = 500;
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;

  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> x;
  private final Placeholder<TFloat32> y;
  private final Placeholder<TFloat32> lr;
  private final Placeholder<TFloat32> beta1Power;
  private final Placeholder<TFloat32> beta2Power;
  private final Operand<TFloat32> features;
  private final Operand<TFloat32> logits;
  private final Operand<TFloat32> loss;
  private final Op train;
  private long steps;

  /** A fresh network with seeded initial weights. */
  public FashionClassifier(long seed) {
    this(seed, null);
  }

  private FashionClassifier(long seed, Path restoreFrom) {
    graph = new Graph();
    Ops tf = Ops.create(graph);
    Random rng = new Random(seed);
    List<Variable<TFloat32>> vars = new ArrayList<>();
    x = tf.withName("images").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, PIXELS)));
    y = tf.withName("onehot").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, CLASSES)));
    lr = tf.withName("lr").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    beta1Power = tf.withName("beta1_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    beta2Power = tf.withName("beta2_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    Ops scope = tf.withSubScope("classifier");
    Operand<TFloat32> h = tf.reshape(x, tf.constant(new long[] {-1, 28, 28, 1}));
    h = pool(tf, tf.nn.relu(conv(tf, scope, "conv1", h, 1, 32, rng, vars)));
    h = pool(tf, tf.nn.relu(conv(tf, scope, "conv2", h, 32, 64, rng, vars)));
    h = tf.reshape(h, tf.constant(new long[] {-1, 7 * 7 * 64}));
    features = tf.nn.relu(dense(tf, scope, "dense1", h, 7 * 7 * 64, FEATURES, rng, vars));
    logits = dense(tf, scope, "logits", features, FEATURES, CLASSES, rng, vars);
    Operand<TFloat32> nll = tf.math.neg(tf.reduceSum(tf.math.mul(y, tf.nn.logSoftmax(logits)), tf.constant(1)));
    loss = tf.math.mean(nll, tf.constant(0));

    Gradients grads = tf.gradients(loss, vars);
    List<Op> computed = new ArrayList<>();
    computed.add(loss);
    for (int i = 0; i < vars.size(); i++) {
      computed.add(grads.dy(i));
    }
    // Every update waits for every gradient: no update races a read of the same weight.
    Ops gated = tf.withControlDependencies(computed);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      Variable<TFloat32> v = vars.get(i);
      String name = v.op().name();
      Operand<TFloat32> m = slot(tf, name + "_adam_m", v);
      Operand<TFloat32> s = slot(tf, name + "_adam_v", v);
      @SuppressWarnings({"unchecked", "rawtypes"})
      Operand<TFloat32> g = (Operand<TFloat32>) (Operand) grads.dy(i);
      updates.add(gated.train.applyAdam(v, m, s, beta1Power, beta2Power, lr, tf.constant((float) BETA1),
          tf.constant((float) BETA2), tf.constant(1e-7f), g));
    }
    train = tf.withControlDependencies(updates).noOp();
    session = new Session(graph);
    if (restoreFrom != null) {
      session.restore(restoreFrom.toString());
    }
  }

  /** A network with the weights of a checkpoint written by {@link #save} (prefix {@code dir/variables}). */
  public static FashionClassifier restore(Path dir) {
    return new FashionClassifier(0, dir.resolve("variables"));
  }

  /** Writes the checkpoint {@code dir/variables.*}. */
  public void save(Path dir) {
    session.save(dir.resolve("variables").toString());
  }

  /** One Adam step on n images (n×784, [−1, 1]) with their labels; returns the batch's mean loss before the step. */
  public double trainStep(double[] images, int[] labels, int n, double learningRate) {
    steps++;
    try (TFloat32 xt = floats(images, n, PIXELS);
        TFloat32 yt = floats(oneHot(labels, n), n, CLASSES);
        TFloat32 l = TFloat32.scalarOf((float) learningRate);
        TFloat32 b1 = TFloat32.scalarOf((float) Math.pow(BETA1, steps));
        TFloat32 b2 = TFloat32.scalarOf((float) Math.pow(BETA2, steps));
        Result r = session.runner().feed(x, xt).feed(y, yt).feed(lr, l).feed(beta1Power, b1).feed(beta2Power, b2)
            .addTarget(train).fetch(loss).run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  /** Predicted classes and features of n images. */
  public record Output(int[] classes, double[] features) {}

  /**
   * Classes (argmax of the logits) and the n×128 features of n images, run in index-aligned
   * {@link Chunks} of {@code chunk} rows (the last padded with zero rows): for one chunk size, CPU and
   * build an image's outputs are bitwise the same whatever n is, and the images of a range that starts
   * at a multiple of the chunk size get the same bits as in a larger call; another chunk size changes
   * the features by float rounding.
   */
  public Output predict(double[] images, int n, int chunk) {
    Chunks chunks = new Chunks(chunk);
    int[] classes = new int[n];
    double[] feats = new double[n * FEATURES];
    for (int start = 0; start < n; start += chunk) {
      int b = chunks.rows(start, n);
      try (TFloat32 xt = floats(chunks.padded(images, PIXELS, start, n), chunk, PIXELS);
          Result r = session.runner().feed(x, xt).fetch(logits).fetch(features).run()) {
        float[] lg = new float[chunk * CLASSES];
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(lg, false, false));
        float[] f = new float[chunk * FEATURES];
        ((TFloat32) r.get(1)).copyTo(DataBuffers.of(f, false, false));
        for (int i = 0; i < b; i++) {
          int best = 0;
          for (int k = 1; k < CLASSES; k++) {
            if (lg[i * CLASSES + k] > lg[i * CLASSES + best]) {
              best = k;
            }
          }
          classes[start + i] = best;
        }
        for (int i = 0; i < b * FEATURES; i++) {
          feats[start * FEATURES + i] = f[i];
        }
      }
    }
    return new Output(classes, feats);
  }

  /** Fraction of {@code predicted} equal to {@code labels}. */
  public static double accuracy(int[] predicted, int[] labels) {
    int hits = 0;
    for (int i = 0; i < predicted.length; i++) {
      hits += predicted[i] == labels[i] ? 1 : 0;
    }
    return predicted.length == 0 ? 0 : hits / (double) predicted.length;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }

  private static Operand<TFloat32> conv(Ops tf, Ops scope, String name, Operand<TFloat32> in, int cin, int cout,
      Random rng, List<Variable<TFloat32>> vars) {
    Ops layer = scope.withSubScope(name);
    Variable<TFloat32> w = variable(tf, layer, "w", he(rng, 9 * cin, 9 * cin * cout), 3, 3, cin, cout);
    Variable<TFloat32> b = variable(tf, layer, "b", new float[cout], cout);
    vars.add(w);
    vars.add(b);
    return tf.math.add(tf.nn.conv2d(in, w, List.of(1L, 1L, 1L, 1L), "SAME"), b);
  }

  private static Operand<TFloat32> dense(Ops tf, Ops scope, String name, Operand<TFloat32> in, int nin, int nout,
      Random rng, List<Variable<TFloat32>> vars) {
    Ops layer = scope.withSubScope(name);
    Variable<TFloat32> w = variable(tf, layer, "w", he(rng, nin, nin * nout), nin, nout);
    Variable<TFloat32> b = variable(tf, layer, "b", new float[nout], nout);
    vars.add(w);
    vars.add(b);
    return tf.math.add(tf.linalg.matMul(in, w), b);
  }

  private static Operand<TFloat32> pool(Ops tf, Operand<TFloat32> in) {
    Operand<org.tensorflow.types.TInt32> k = tf.constant(new int[] {1, 2, 2, 1});
    return tf.nn.maxPool(in, k, k, "VALID");
  }

  /** He-normal values: N(0, 2/fanIn). */
  private static float[] he(Random rng, int fanIn, int count) {
    float[] v = new float[count];
    double std = Math.sqrt(2.0 / fanIn);
    for (int i = 0; i < count; i++) {
      v[i] = (float) (std * rng.nextGaussian());
    }
    return v;
  }

  private static Variable<TFloat32> variable(Ops tf, Ops scope, String name, float[] init, long... shape) {
    return scope.withName(name).variable(tf.constant(Shape.of(shape), DataBuffers.of(init, true, false)));
  }

  private static Operand<TFloat32> slot(Ops tf, String name, Variable<TFloat32> like) {
    float[] zeros = new float[(int) like.shape().size()];
    return org.diffuse4j.api.tensor.Names.named(tf, name)
        .variable(tf.constant(like.shape(), DataBuffers.of(zeros, true, false)));
  }

  private static TFloat32 floats(double[] values, int rows, int cols) {
    float[] f = new float[rows * cols];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return TFloat32.tensorOf(Shape.of(rows, cols), DataBuffers.of(f, true, false));
  }

  private static double[] oneHot(int[] labels, int n) {
    double[] out = new double[n * CLASSES];
    for (int i = 0; i < n; i++) {
      if (labels[i] < 0 || labels[i] >= CLASSES) {
        throw new IllegalArgumentException("label " + labels[i] + " outside 0.." + (CLASSES - 1));
      }
      out[i * CLASSES + labels[i]] = 1;
    }
    return out;
  }
}
