package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * The model contract: a network maps (x, time label, condition) to a raw output of x's shape; what
 * the output means is the {@link Parameterisation}'s business. The time label is a scalar or a
 * per-sample column.
 */
@FunctionalInterface
public interface Network {
  /** The raw output (x's shape) at state {@code x}, time label {@code t} and the condition. */
  Tensor apply(Tensor x, Tensor t, Condition condition);
}
