package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * Injected noise for stochastic solvers and objectives. {@code gaussian(stream, like)} gives standard
 * normal noise shaped like {@code like}, whose row i is {@link CounterNoise} for (seed, first sample
 * + i, stream): reproducible and independent of batch size. Distinct calls must use distinct
 * streams.
 */
public interface NoiseSource {

  /** Standard normal noise shaped like {@code like} from stream {@code stream}. */
  Tensor gaussian(long stream, Tensor like);
}
