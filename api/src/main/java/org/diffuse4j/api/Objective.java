package org.diffuse4j.api;

/**
 * A training loss. The Java side draws each example's time from the objective's density, asks for
 * its weight and lets the coupling pair data with noise; the graph side turns the batch into a
 * per-example loss of shape [B], which the runtime averages. (Template: TorchCFM's objectives.)
 */
public interface Objective {

  /**
   * Maps a uniform u ∈ (0, 1) to a training time t (inverse CDF of the time density). The run's
   * schedule is given for densities defined on σ/α or λ (EDM's log-normal).
   */
  double sampleTime(Schedule schedule, double u);

  /** Per-example weight w(t), evaluated in Java from the schedule; 1 by default. */
  default double weight(Schedule schedule, double t) {
    return 1.0;
  }

  /** How data rows pair with noise rows (independent by default; minibatch OT, reflow pairs, …). */
  default Coupling coupling() {
    return Coupling.INDEPENDENT;
  }

  /** Per-example loss, shape [B]. */
  org.diffuse4j.api.tensor.Tensor loss(TrainingBatch batch, Network network, Parameterisation param);
}
