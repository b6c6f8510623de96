package org.diffuse4j.api;

/**
 * The networks an objective's loss sees: the network being trained, and the extra ones it asked
 * for with {@link Objective#needs()}: the EMA target θ⁻ (the run's own EMA weights, read with
 * stopped gradients; null unless asked) and the frozen teacher (null unless asked).
 */
public record TrainingNetworks(Network network, Network target, Teacher teacher) {

  /** Only the network being trained. */
  public static TrainingNetworks of(Network network) {
    return new TrainingNetworks(network, null, null);
  }
}
