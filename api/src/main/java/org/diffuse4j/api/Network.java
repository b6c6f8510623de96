package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * The model contract: a network maps (x, time label, condition) to a raw output of x's shape; what
 * the output means is the {@link Parameterisation}'s business. The time label is a scalar or a
 * per-sample column.
 */
@FunctionalInterface
public interface Network {
  /**
   * The raw output (x's shape) at state {@code x}, time label {@code t} and the condition.
   *
   * @param x the network's input state, shape [B, …]
   * @param t the time label, a scalar or a [B, 1] column
   * @param condition the condition (class labels, or none for the null label)
   * @return the raw output, shape of {@code x}
   */
  Tensor apply(Tensor x, Tensor t, Condition condition);
}
