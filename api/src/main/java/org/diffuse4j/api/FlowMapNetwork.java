package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * The flow-map model of consistency models, CTM and MeanFlow (seed 001): maps x at time s to the
 * sample at time t &lt; s along the probability-flow ODE, so sampling takes one or a few jumps.
 */
@FunctionalInterface
public interface FlowMapNetwork {
  Tensor jump(Tensor x, Tensor s, Tensor t, Condition condition);
}
