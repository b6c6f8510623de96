package org.diffuse4j.api;

/**
 * The networks an objective's loss sees: the network being trained, and the extra ones it asked
 * for with {@link Objective#needs()}: the EMA target θ⁻ (the run's own EMA weights, read with
 * stopped gradients; null unless asked) and the frozen teacher (null unless asked). For a flow-map
 * run ({@link Objective#trainsFlowMap()}) the networks read the time pair (s, t)
 * ({@link FlowMapNetwork#of}) and {@code flowMap} says what their output means.
 *
 * @param network the network being trained
 * @param target the EMA target network θ⁻, or null unless {@link Objective.Need#TARGET} was asked for
 * @param teacher the frozen teacher, or null unless {@link Objective.Need#TEACHER} was asked for
 * @param flowMap the run's flow-map parameterisation, or null for a run of an ordinary model
 * @param weighting the learned log-variance u_φ of the loss, or null unless {@link Objective.Need#WEIGHTING} was asked for
 */
public record TrainingNetworks(Network network, Network target, Teacher teacher, FlowMapParameterisation flowMap,
    LearnedWeight weighting) {

  /**
   * The networks without a learned weighting.
   *
   * @param network the network being trained
   * @param target the EMA target network θ⁻, or null
   * @param teacher the frozen teacher, or null
   * @param flowMap the run's flow-map parameterisation, or null
   */
  public TrainingNetworks(Network network, Network target, Teacher teacher, FlowMapParameterisation flowMap) {
    this(network, target, teacher, flowMap, null);
  }

  /**
   * The networks of an ordinary (one-time) model.
   *
   * @param network the network being trained
   * @param target the EMA target network θ⁻, or null
   * @param teacher the frozen teacher, or null
   */
  public TrainingNetworks(Network network, Network target, Teacher teacher) {
    this(network, target, teacher, null);
  }

  /**
   * Only the network being trained.
   *
   * @param network the network being trained
   * @return the networks with no target and no teacher
   */
  public static TrainingNetworks of(Network network) {
    return new TrainingNetworks(network, null, null);
  }

  /**
   * The trained two-time network's flow map G(x, s, t) under the run's flow-map parameterisation.
   *
   * @param condition the condition passed to every network call
   * @return G of the network being trained
   * @throws IllegalStateException if the run's model is not a flow map
   */
  public FlowMap studentFlowMap(Condition condition) {
    return requireFlowMap().flowMap(FlowMapNetwork.of(network), condition);
  }

  /**
   * The EMA target's flow map G_θ⁻(x, s, t) (gradients stopped by the target network).
   *
   * @param condition the condition passed to every network call
   * @return G of the target network
   * @throws IllegalStateException if the run's model is not a flow map or no target was asked for
   */
  public FlowMap targetFlowMap(Condition condition) {
    if (target == null) {
      throw new IllegalStateException("no EMA target: the objective must list Need.TARGET in needs()");
    }
    return requireFlowMap().flowMap(FlowMapNetwork.of(target), condition);
  }

  /**
   * {@code loss} weighed by the learned log-variance (L·e^{−u} + u), or {@code loss} itself when the
   * objective did not ask for {@link Objective.Need#WEIGHTING}.
   *
   * @param loss the per-example loss, shape [B]
   * @param p the examples' path points
   * @return the weighted loss, shape [B]
   */
  public org.diffuse4j.api.tensor.Tensor weigh(org.diffuse4j.api.tensor.Tensor loss, PathPoint p) {
    return weighting == null ? loss : weighting.weigh(loss, p);
  }

  private FlowMapParameterisation requireFlowMap() {
    if (flowMap == null) {
      throw new IllegalStateException("the run's model is not a flow map: set a flow-map parameterisation "
          + "(meanflow, ctm, consistency) and a two-time network (e.g. network: {name: mlp, times: 2})");
    }
    return flowMap;
  }
}
