package org.diffuse4j.api;

/**
 * The networks an objective's loss sees: the network being trained, and the extra ones it asked
 * for with {@link Objective#needs()}: the EMA target θ⁻ (the run's own EMA weights, read with
 * stopped gradients; null unless asked) and the frozen teacher (null unless asked).
 *
 * @param network the network being trained
 * @param target the EMA target network θ⁻, or null unless {@link Objective.Need#TARGET} was asked for
 * @param teacher the frozen teacher, or null unless {@link Objective.Need#TEACHER} was asked for
 */
public record TrainingNetworks(Network network, Network target, Teacher teacher) {

  /**
   * Only the network being trained.
   *
   * @param network the network being trained
   * @return the networks with no target and no teacher
   */
  public static TrainingNetworks of(Network network) {
    return new TrainingNetworks(network, null, null);
  }
}
