package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * A two-time network (x, s, t, condition) ↦ a tensor of x's shape, the network of consistency
 * models, CTM and MeanFlow (seed 001 §J–M). It may be the flow map x_s ↦ x_t itself; composed with
 * a {@link FlowMapParameterisation} (CTM, MeanFlow, consistency) its output is the raw g_θ, h_θ or
 * F_θ and the parameterisation builds the jump, boundary G(x, s, s) = x included.
 */
@FunctionalInterface
public interface FlowMapNetwork {
  /**
   * The output at state {@code x}, times s and t (scalars or per-sample columns) and the condition.
   *
   * @param x the network's input state, shape [B, …]
   * @param s the start-time label, a scalar or a [B, 1] column
   * @param t the end-time label, a scalar or a [B, 1] column
   * @param condition the condition (class labels or none)
   * @return the network's output, shape of {@code x}
   */
  Tensor jump(Tensor x, Tensor s, Tensor t, Condition condition);
}
