package org.diffuse4j.networks;

import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.FlowMapNetwork;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.model.Model;
import org.diffuse4j.api.model.Weights;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TInt32;

/**
 * A multilayer perceptron for low-dimensional data: [x, sinusoidal embedding of t] → depth × (dense,
 * activation) → dense back to x's width. With {@code num_classes > 0} a learned class embedding
 * (one row per class plus a null class) is added to the time embedding. With {@code times: 2} the
 * time label is the pair (s, t) of a flow map and both s and s − t are embedded (MeanFlow, Geng et
 * al. 2025, §4.3, found (t, t − r) the best pair). With {@code guidance_input} the network reads the
 * guidance scale w of the condition (Meng et al. 2023, "On Distillation of Guided Diffusion Models",
 * §4.1: a Fourier embedding of w added to the time embedding): the sinusoidal features of w
 * (frequencies 1 … 10⁻⁴, the time label's without its time_scale) times a learned matrix
 * {@code mlp/guidance_embedding} are added to the time embedding. Weights are graph variables named {@code mlp/layerK/w|b}
 * with deterministic initial values (LeCun normal from {@link CounterNoise}), so two graphs built
 * with the same seed start identically and a checkpoint restores by name.
 */
public final class Mlp implements Network, Model {
  private record Dense(Tensor w, Tensor b) {}

  private final Backend backend;
  private final MlpOptions options;
  private final List<Dense> layers = new ArrayList<>();
  private final Weights weights;
  private final Tensor frequencies;
  private final Tensor classEmbedding; // [num_classes + 1, time_embedding], or null
  private final Tensor guidanceFrequencies; // [1, time_embedding / 2], or null
  private final Tensor guidanceEmbedding; // [time_embedding, times * time_embedding], or null

  /** Adds the weights for data of width {@code dim} to the backend's graph. */
  public Mlp(Backend backend, int dim, MlpOptions options, long seed) {
    this(backend, dim, options, seed, Weights.trainable());
  }

  /** As above, with the weights from {@code weights} (e.g. fixed values of a trained run). */
  public Mlp(Backend backend, int dim, MlpOptions options, long seed, Weights weights) {
    this.backend = backend;
    this.weights = weights;
    this.options = options;
    int half = options.time_embedding() / 2;
    double[] f = new double[half];
    for (int k = 0; k < half; k++) {
      f[k] = options.time_scale() * Math.exp(-Math.log(10000.0) * k / Math.max(1, half - 1));
    }
    frequencies = backend.constant(f, 1, half);
    int classes = options.num_classes();
    if (classes > 0) {
      int e = options.times() * options.time_embedding();
      double[] init = new double[(classes + 1) * e];
      for (int i = 0; i < init.length; i++) {
        init[i] = CounterNoise.gaussian(seed, 0, 0xc1a55, i);
      }
      classEmbedding = variable("mlp/class_embedding", backend.constant(init, classes + 1, e));
    } else {
      classEmbedding = null;
    }
    if (options.guidance_input()) {
      int te = options.time_embedding();
      double[] g = new double[half];
      for (int k = 0; k < half; k++) {
        g[k] = Math.exp(-Math.log(10000.0) * k / Math.max(1, half - 1));
      }
      guidanceFrequencies = backend.constant(g, 1, half);
      int e = options.times() * te;
      double[] init = new double[te * e];
      for (int i = 0; i < init.length; i++) {
        init[i] = Math.sqrt(1.0 / te) * CounterNoise.gaussian(seed, 0, 0x9d15, i);
      }
      guidanceEmbedding = variable("mlp/guidance_embedding", backend.constant(init, te, e));
    } else {
      guidanceFrequencies = null;
      guidanceEmbedding = null;
    }
    int in = dim + options.times() * options.time_embedding();
    for (int l = 0; l <= options.depth(); l++) {
      int out = l == options.depth() ? dim : options.width();
      layers.add(dense("mlp/layer" + l, in, out, seed, l));
      in = out;
    }
  }

  private Dense dense(String name, int in, int out, long seed, int index) {
    double[] w = new double[in * out];
    double scale = Math.sqrt(1.0 / in);
    for (int i = 0; i < w.length; i++) {
      w[i] = scale * CounterNoise.gaussian(seed, index, 0x3e1, i);
    }
    return new Dense(variable(name + "/w", backend.constant(w, in, out)), variable(name + "/b", backend.constant(new double[out], 1, out)));
  }

  private Tensor variable(String name, Tensor init) {
    return weights.create(org.diffuse4j.api.tensor.Names.named(backend.tf(), name), init);
  }

  /** Sinusoidal features [sin(t·f_k), cos(t·f_k)] of a [B, 1] time column. */
  private Tensor embed(Tensor tColumn) {
    Tensor arg = tColumn.matmul(frequencies);
    return arg.sin().concat(1, arg.cos());
  }

  @Override
  public Tensor apply(Tensor x, Tensor t, Condition condition) {
    // t may be a scalar (sampling) or a [B, 1] column (training): broadcast it to a [B, 1] column.
    Tensor zeros = x.mean(1).reshape(-1, 1).zerosLike();
    Tensor embedding;
    Tensor tColumn;
    if (options.times() == 2) {
      // the pair (s, t) as [B, 2] or [1, 2] (FlowMapNetwork.times)
      FlowMapNetwork.requirePair(t, "mlp");
      Tensor[] startAndGap = FlowMapNetwork.startAndGap(zeros.plus(t.reshape(-1, 2)));
      tColumn = startAndGap[0];
      embedding = embed(tColumn).concat(1, embed(startAndGap[1]));
    } else {
      tColumn = zeros.plus(t.rank() == 1 ? t.reshape(-1, 1) : t);
      embedding = embed(tColumn);
    }
    if (classEmbedding != null) {
      embedding = embedding.plus(classFeatures(condition, tColumn));
    }
    if (guidanceEmbedding != null) {
      embedding = embedding.plus(guidanceFeatures(condition, tColumn));
    }
    Tensor h = x.concat(1, embedding);
    for (int l = 0; l < layers.size(); l++) {
      Dense d = layers.get(l);
      h = h.matmul(d.w()).plusBias(d.b());
      if (l < layers.size() - 1) {
        h = options.activation().apply(h);
      }
    }
    return h;
  }

  /**
   * Rows of the class embedding for the condition's labels ([B] floats holding class ids); negative
   * labels and {@link Condition#none()} take the null class's row.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private Tensor classFeatures(Condition condition, Tensor tColumn) {
    int nullClass = options.num_classes();
    Tensor zeros = tColumn.reshape(-1);
    Tensor labels = condition.isConditional() ? zeros.plus(condition.labels().reshape(-1)) : zeros.minus(1);
    Tensor index = labels.plus(0.5).wherePositive(labels, zeros.plus(nullClass));
    Ops tf = backend.tf();
    Operand<TInt32> ids = tf.dtypes.cast(index.op(), TInt32.class);
    Operand oneHot = tf.oneHot(ids, tf.constant(nullClass + 1), (Operand) backend.scalar(1).op(), (Operand) backend.scalar(0).op());
    return backend.wrap(oneHot).matmul(classEmbedding);
  }

  /** The projected sinusoidal features of the condition's guidance scale w (a scalar, [B] or [B, 1]). */
  private Tensor guidanceFeatures(Condition condition, Tensor tColumn) {
    if (!condition.hasScale()) {
      throw new IllegalArgumentException("this mlp reads the guidance scale (guidance_input: true) but the condition "
          + "carries none; sample it with guidance: {name: distilled, scale: W}");
    }
    Tensor arg = tColumn.zerosLike().plus(condition.scale().reshape(-1, 1)).matmul(guidanceFrequencies);
    return arg.sin().concat(1, arg.cos()).matmul(guidanceEmbedding);
  }

  @Override
  public int classes() {
    return options.num_classes();
  }

  @Override
  public Network network() {
    return this;
  }

  @Override
  public List<Variable<?>> variables() {
    return weights.variables();
  }
}
