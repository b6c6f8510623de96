package org.diffuse4j.networks.unet;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.FlowMapNetwork;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.Operand;
import org.tensorflow.types.TInt32;

/**
 * The conditioning vector of every residual block: the sinusoidal embedding of the time label
 * (Vaswani et al. 2017 §3.5, as in DDPM), through Dense → SiLU → Dense, plus a learned class
 * embedding (Dhariwal &amp; Nichol 2021) whose table has {@code num_classes + 1} rows; the last row is
 * the null class used by {@link Condition#none()} and by negative labels (classifier-free guidance,
 * Ho &amp; Salimans 2022). A two-time U-Net (a flow map's (s, t), {@code times} = 2) embeds s and
 * s − t and feeds both to the first Dense. A U-Net that reads the guidance scale w (Meng et al. 2023,
 * §4.1: a Fourier embedding of w added to the time embedding) adds a Dense of w's sinusoidal features
 * (frequencies 1 … 10⁻⁴) to the first Dense's output.
 */
final class Embedding {
  private final Backend backend;
  private final int numClasses;
  private final Tensor frequencies;
  private final Dense dense1;
  private final Dense dense2;
  private final Tensor classTable;
  private final int times;
  private final Tensor guidanceFrequencies; // or null
  private final Dense guidance; // or null

  Embedding(Params p, String name, int sinusoidDim, int dim, int numClasses, double timeScale, int times,
      boolean guidanceInput) {
    this.backend = p.backend();
    this.numClasses = numClasses;
    this.times = times;
    int half = sinusoidDim / 2;
    double[] f = new double[half];
    for (int i = 0; i < half; i++) {
      f[i] = timeScale * Math.exp(-Math.log(10000.0) * i / Math.max(1, half - 1));
    }
    frequencies = backend.constant(f, 1, half);
    dense1 = new Dense(p, name + "/time1", times * 2 * half, dim);
    dense2 = new Dense(p, name + "/time2", dim, dim);
    classTable = numClasses > 0 ? p.normal(name + "/classes", 1, numClasses + 1, dim) : null;
    if (guidanceInput) {
      double[] g = new double[half];
      for (int i = 0; i < half; i++) {
        g[i] = Math.exp(-Math.log(10000.0) * i / Math.max(1, half - 1));
      }
      guidanceFrequencies = backend.constant(g, 1, half);
      guidance = new Dense(p, name + "/guidance", 2 * half, dim);
    } else {
      guidanceFrequencies = null;
      guidance = null;
    }
  }

  /** The embedding [B, dim] for time t (scalar, [B] or [B, 1]) and the condition; batch from x. */
  Tensor apply(Tensor x, Tensor t, Condition condition) {
    var tf = backend.tf();
    Operand<TInt32> batch = tf.slice(tf.shape(x.op()), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    Operand<TInt32> columnShape = tf.concat(java.util.List.of(batch, tf.constant(new int[] {times})), tf.constant(0));
    Tensor features;
    if (times == 2) {
      FlowMapNetwork.requirePair(t, "unet");
      Tensor[] startAndGap = FlowMapNetwork.startAndGap(backend.wrap(tf.broadcastTo(t.reshape(-1, 2).op(), columnShape)));
      features = sinusoids(startAndGap[0]).concat(1, sinusoids(startAndGap[1]));
    } else {
      features = sinusoids(backend.wrap(tf.broadcastTo(t.reshape(-1, 1).op(), columnShape)));
    }
    Tensor first = dense1.apply(features);
    if (guidance != null) {
      if (!condition.hasScale()) {
        throw new IllegalArgumentException("this U-Net reads the guidance scale (guidance_input: true) but the "
            + "condition carries none; sample it with guidance: {name: distilled, scale: W}");
      }
      Tensor w = backend.wrap(tf.broadcastTo(condition.scale().reshape(-1, 1).op(), tf.concat(java.util.List.of(batch,
          tf.constant(new int[] {1})), tf.constant(0))));
      Tensor arg = w.matmul(guidanceFrequencies);
      first = first.plus(guidance.apply(arg.sin().concat(1, arg.cos())));
    }
    Tensor emb = dense2.apply(first.silu());
    if (classTable == null) {
      if (condition.isConditional()) {
        throw new IllegalArgumentException("this U-Net is unconditional (num_classes = 0) but got class labels");
      }
      return emb;
    }
    return emb.plus(classRows(condition));
  }

  /** [sin(t·f_k), cos(t·f_k)] of a [B, 1] time column. */
  private Tensor sinusoids(Tensor column) {
    Tensor arg = column.matmul(frequencies);
    return arg.sin().concat(1, arg.cos());
  }

  /** [B, dim] rows of the class table, or the null row [1, dim] for no condition. */
  private Tensor classRows(Condition condition) {
    var tf = backend.tf();
    if (!condition.isConditional()) {
      return classTable.rows(numClasses, 1);
    }
    Operand<TInt32> ids = tf.dtypes.cast(condition.labels().reshape(-1).op(), TInt32.class);
    Operand<TInt32> nullId = tf.fill(tf.shape(ids), tf.constant(numClasses));
    Operand<TInt32> rows = tf.select(tf.math.less(ids, tf.constant(0)), nullId, ids);
    return backend.wrap(tf.gather(classTable.op(), rows, tf.constant(0)));
  }
}
