package org.diffuse4j.api;

import java.util.Arrays;
import org.diffuse4j.api.tensor.Tensor;

/**
 * A {@link NoiseSource} that writes {@link CounterNoise} values into the graph as constants, for a
 * batch whose first row is sample {@code firstSample}. Needs a fully known shape; used by tests and
 * eager computations (the runtime feeds noise through placeholders instead).
 */
public record ConstantNoise(long seed, long firstSample) implements NoiseSource {

  @Override
  public Tensor gaussian(long stream, Tensor like) {
    long[] shape = like.shape().asArray();
    long per = 1;
    for (int i = 1; i < shape.length; i++) {
      per *= shape[i];
    }
    if (Arrays.stream(shape).anyMatch(d -> d < 0)) {
      throw new IllegalArgumentException("ConstantNoise needs a known shape, got " + like.shape());
    }
    double[] v = CounterNoise.gaussian(seed, firstSample, (int) shape[0], (int) per, stream);
    return like.backend().constant(v, shape);
  }
}
