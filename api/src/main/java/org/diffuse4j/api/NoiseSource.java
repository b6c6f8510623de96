package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * Injected noise for stochastic solvers and objectives. {@code gaussian(stream, like)} gives standard
 * normal noise shaped like {@code like}, whose row i is {@link CounterNoise} for (seed, first sample
 * + i, stream): reproducible and independent of batch size. Distinct calls must use distinct
 * streams.
 */
public interface NoiseSource {

  /**
   * Standard normal noise shaped like {@code like} from stream {@code stream}.
   *
   * @param stream the stream id; each call site uses its own so draws are independent
   * @param like the tensor whose shape (rows [B, …]) and backend the noise takes
   * @return N(0, 1) noise shaped like {@code like}, row i from the source's first sample + i
   */
  Tensor gaussian(long stream, Tensor like);
}
