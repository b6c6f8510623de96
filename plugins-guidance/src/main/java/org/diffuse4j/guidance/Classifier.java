package org.diffuse4j.guidance;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.tensor.Tensor;

/**
 * A noise-aware classifier p(y | x_t, t) as classifier guidance needs it: unnormalised class
 * logits of shape [B, K] at (x, t). A {@link Network} trained by the {@code noisy-classifier}
 * objective is one through {@link #of}.
 */
@FunctionalInterface
public interface Classifier {

  /** Logits [B, K] for x [B, …] at path point p. */
  Tensor logits(Tensor x, PathPoint p);

  /** A network whose raw output at (x, t, no condition) are the logits. */
  static Classifier of(Network network) {
    return (x, p) -> network.apply(x, p.t(), Condition.none());
  }
}
