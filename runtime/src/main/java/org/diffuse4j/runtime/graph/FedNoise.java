package org.diffuse4j.runtime.graph;

import java.util.LinkedHashMap;
import java.util.Map;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.NoiseSource;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.Session;

/**
 * A {@link NoiseSource} for graphs that run many times: each stream becomes a placeholder of the
 * requested shape, and {@link #feed} fills every placeholder with {@link CounterNoise} rows for
 * (seed, first + i, stream). Noise is thus computed in Java, exactly as the api defines it, and
 * does not depend on batch size.
 */
public final class FedNoise implements NoiseSource {
  private record Stream(Tensor placeholder, long[] shape) {}

  private final Backend backend;
  private final int batch;
  private final String prefix;
  private final Map<Long, Stream> streams = new LinkedHashMap<>();

  /** Noise for batches of {@code batch} rows; placeholders are named {@code prefix + stream}. */
  public FedNoise(Backend backend, int batch, String prefix) {
    this.backend = backend;
    this.batch = batch;
    this.prefix = prefix;
  }

  @Override
  public Tensor gaussian(long stream, Tensor like) {
    Stream s = streams.get(stream);
    if (s == null) {
      long[] shape = like.shape().asArray();
      shape[0] = batch;
      for (long d : shape) {
        if (d < 0) {
          throw new IllegalArgumentException("noise needs a known shape apart from the batch, got " + like.shape());
        }
      }
      s = new Stream(backend.placeholder(prefix + stream, shape), shape);
      streams.put(stream, s);
    }
    return s.placeholder();
  }

  /** Number of noise streams the graph asked for. */
  public int streamCount() {
    return streams.size();
  }

  /**
   * Adds a feed for every stream to {@code runner} and returns the tensors, which the caller closes
   * after the run.
   */
  public java.util.List<org.tensorflow.Tensor> feed(Session.Runner runner, long seed, long first) {
    java.util.List<org.tensorflow.Tensor> open = new java.util.ArrayList<>();
    for (Map.Entry<Long, Stream> e : streams.entrySet()) {
      long[] shape = e.getValue().shape();
      int per = 1;
      for (int i = 1; i < shape.length; i++) {
        per *= (int) shape[i];
      }
      double[] v = CounterNoise.gaussian(seed, first, batch, per, e.getKey());
      org.tensorflow.Tensor t = Feeds.tensor(backend.precision(), v, shape);
      open.add(t);
      runner.feed(e.getValue().placeholder().op(), t);
    }
    return open;
  }
}
