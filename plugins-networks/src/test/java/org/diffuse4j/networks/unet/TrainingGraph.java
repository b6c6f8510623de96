package org.diffuse4j.networks.unet;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.networks.AdamStep;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;

/**
 * Test helper: a U-Net with an ε-prediction denoising loss on a fed batch (x_t = 0.8·x0 + 0.6·ε at
 * t = 0.3, labels fed) and raw Adam updates (tf.gradients + ApplyAdam), as the runtime's trainer does.
 */
final class TrainingGraph implements AutoCloseable {
  final Graph graph = new Graph();
  final Session session;
  final UNet net;
  final Tensor x0;
  final Tensor eps;
  final Tensor labels;
  final Tensor loss;
  final Op train;
  private final Tensor beta1Power;
  private final Tensor beta2Power;
  private final int batch;
  private int step;

  TrainingGraph(UNetOptions options, int batch, double lr, long seed) {
    this(options, batch, lr, seed, null);
  }

  /** As above, with the session's {@code config} (null: TensorFlow's defaults, as the runtime's trainer). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  TrainingGraph(UNetOptions options, int batch, double lr, long seed, org.tensorflow.proto.ConfigProto config) {
    this.batch = batch;
    Ops tf = Ops.create(graph);
    Backend be = new Backend(tf, Precision.FLOAT32);
    net = new UNet(be, 28, 28, options, seed);
    x0 = be.placeholder("x0", batch, 28, 28, 1);
    eps = be.placeholder("eps", batch, 28, 28, 1);
    labels = be.placeholder("labels", batch);
    Condition c = options.num_classes() > 0 ? new Condition(labels) : Condition.none();
    Tensor xt = x0.times(0.8).plus(eps.times(0.6));
    loss = net.apply(xt, be.scalar(0.3), c).minus(eps).square().mean();
    beta1Power = be.placeholder("b1p");
    beta2Power = be.placeholder("b2p");
    train = AdamStep.build(be, loss, net.variables(), be.scalar(lr), beta1Power, beta2Power);
    session = config == null ? new Session(graph) : new Session(graph, config);
  }

  /** Deterministic stand-in images: smooth blobs in [−1, 1] that depend on the row. */
  static double[] images(int n) {
    double[] out = new double[n * 784];
    for (int b = 0; b < n; b++) {
      double cx = 8 + 12 * CounterNoise.uniform(3, b, 0, 0);
      double cy = 8 + 12 * CounterNoise.uniform(3, b, 0, 1);
      for (int i = 0; i < 28; i++) {
        for (int j = 0; j < 28; j++) {
          double r2 = (i - cy) * (i - cy) + (j - cx) * (j - cx);
          out[b * 784 + i * 28 + j] = 2 * Math.exp(-r2 / 30) - 1;
        }
      }
    }
    return out;
  }

  /** One Adam step on the given batch; returns the loss before the update. */
  double step(double[] x, double[] noise, double[] labelValues) {
    step++;
    try (var xt = Feeds.tensor(Precision.FLOAT32, x, batch, 28, 28, 1);
        var et = Feeds.tensor(Precision.FLOAT32, noise, batch, 28, 28, 1);
        var lt = Feeds.tensor(Precision.FLOAT32, labelValues, batch);
        var b1 = Feeds.scalar(Precision.FLOAT32, Math.pow(0.9, step));
        var b2 = Feeds.scalar(Precision.FLOAT32, Math.pow(0.999, step));
        Result r = session.runner().feed(x0.op(), xt).feed(eps.op(), et).feed(labels.op(), lt)
            .feed(beta1Power.op(), b1).feed(beta2Power.op(), b2)
            .addTarget(train).fetch(loss.op()).run()) {
      return Feeds.scalarValue(r.get(0));
    }
  }

  /** The loss on the given batch without training (a forward pass). */
  double loss(double[] x, double[] noise, double[] labelValues) {
    try (var xt = Feeds.tensor(Precision.FLOAT32, x, batch, 28, 28, 1);
        var et = Feeds.tensor(Precision.FLOAT32, noise, batch, 28, 28, 1);
        var lt = Feeds.tensor(Precision.FLOAT32, labelValues, batch);
        Result r = session.runner().feed(x0.op(), xt).feed(eps.op(), et).feed(labels.op(), lt).fetch(loss.op()).run()) {
      return Feeds.scalarValue(r.get(0));
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
