package org.diffuse4j.objectives;

import java.util.function.DoubleUnaryOperator;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConstantNoise;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * A tiny float64 graph with a batch built as the runtime will (Java-side times, weights and path
 * columns) and a tiny network raw = tanh(x W + t u), plus the same network in plain Java.
 */
final class Harness implements AutoCloseable {
  static final int B = 5;
  static final int D = 3;
  static final long SEED = 7;

  final Graph graph = new Graph();
  final Session session = new Session(graph);
  final Backend b;

  final double[][] x0 = new double[B][D];
  final double[][] eps = new double[B][D];
  final double[][] w = new double[D][D];
  final double[] u = new double[D];
  final double[] t = new double[B];
  final Tensor wT;
  final Tensor uT;

  Harness(double[] times) {
    this(times, Precision.FLOAT64);
  }

  Harness(double[] times, Precision precision) {
    b = new Backend(Ops.create(graph), precision);
    System.arraycopy(times, 0, t, 0, B);
    for (int i = 0; i < B; i++) {
      for (int j = 0; j < D; j++) {
        x0[i][j] = 1.5 * CounterNoise.gaussian(SEED, i, 90, j) + 0.3;
        eps[i][j] = CounterNoise.gaussian(SEED, i, 91, j);
      }
    }
    for (int k = 0; k < D; k++) {
      for (int j = 0; j < D; j++) {
        w[k][j] = 0.4 * CounterNoise.gaussian(SEED, k, 92, j);
      }
      u[k] = CounterNoise.gaussian(SEED, k, 93, 0);
    }
    wT = b.constant(flat(w), D, D);
    uT = b.constant(u, 1, D);
  }

  static double[] flat(double[][] m) {
    double[] out = new double[m.length * m[0].length];
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(m[i], 0, out, i * m[0].length, m[0].length);
    }
    return out;
  }

  Tensor column(DoubleUnaryOperator f) {
    double[] v = new double[B];
    for (int i = 0; i < B; i++) {
      v[i] = f.applyAsDouble(t[i]);
    }
    return b.constant(v, B, 1);
  }

  /** The batch as the runtime builds it: path columns from the schedule, weights from the objective. */
  TrainingBatch batch(Schedule s, DoubleUnaryOperator weight, Condition c) {
    PathPoint p = PathPoint.columns(s, t, b);
    return new TrainingBatch(
        b.constant(flat(x0), B, D), b.constant(flat(eps), B, D), p, column(weight), c, new ConstantNoise(SEED, 0));
  }

  Network network() {
    return (x, time, c) -> x.matmul(wT).plus(time.times(uT)).tanh();
  }

  /** The same network in Java. */
  double[] net(double[] x, double time) {
    double[] out = new double[D];
    for (int j = 0; j < D; j++) {
      double s = time * u[j];
      for (int k = 0; k < D; k++) {
        s += x[k] * w[k][j];
      }
      out[j] = Math.tanh(s);
    }
    return out;
  }

  double[] run(Tensor x) {
    try (org.tensorflow.Tensor out = session.runner().fetch(x.op()).run().get(0)) {
      int n = (int) out.shape().size();
      double[] v = new double[n];
      if (out instanceof TFloat64 d) {
        d.scalars().forEachIndexed((idx, s) -> v[flatIndex(idx, out.shape().asArray())] = s.getDouble());
      } else {
        ((org.tensorflow.types.TFloat32) out)
            .scalars().forEachIndexed((idx, s) -> v[flatIndex(idx, out.shape().asArray())] = s.getFloat());
      }
      return v;
    }
  }

  private static int flatIndex(long[] idx, long[] shape) {
    int k = 0;
    for (int i = 0; i < idx.length; i++) {
      k = k * (int) shape[i] + (int) idx[i];
    }
    return k;
  }

  static double mse(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += (a[j] - b[j]) * (a[j] - b[j]);
    }
    return s / a.length;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
