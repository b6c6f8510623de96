package org.diffuse4j.guidance;

import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/** A graph, its session and a backend; evaluates tensors to flat Java arrays. */
final class GraphRun implements AutoCloseable {
  final Graph graph = new Graph();
  final Session session = new Session(graph);
  final Backend b;

  GraphRun(Precision precision) {
    b = new Backend(Ops.create(graph), precision);
  }

  GraphRun() {
    this(Precision.FLOAT64);
  }

  /** Row-major values of a tensor. */
  double[] eval(Tensor t) {
    try (org.tensorflow.Tensor out = session.runner().fetch(t.op()).run().get(0)) {
      int n = (int) out.shape().size();
      double[] r = new double[n];
      if (out instanceof TFloat64 d) {
        d.copyTo(DataBuffers.of(r, false, false));
      } else {
        float[] f = new float[n];
        ((TFloat32) out).copyTo(DataBuffers.of(f, false, false));
        for (int i = 0; i < n; i++) {
          r[i] = f[i];
        }
      }
      return r;
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
