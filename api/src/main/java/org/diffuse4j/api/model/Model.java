package org.diffuse4j.api.model;

import java.util.List;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.tensorflow.op.core.Variable;

/**
 * A model built into one graph: a trainable {@link Network} with its variables, or an analytic
 * model that has a denoiser and nothing to train.
 */
public interface Model {
  /**
   * The network to train, or null for analytic models.
   *
   * @return the trainable network, or null
   */
  Network network();

  /**
   * Trainable variables (empty for analytic models).
   *
   * @return the model's trainable graph variables, possibly empty
   */
  List<Variable<?>> variables();

  /**
   * The model as the sampler sees it before guidance.
   *
   * @param param the parameterisation of the network's output
   * @param schedule the run's schedule (analytic models use it; the default ignores it)
   * @return the conditional denoiser, by default {@link #network()} composed with {@code param}
   */
  default ConditionalDenoiser denoiser(Parameterisation param, Schedule schedule) {
    return ConditionalDenoiser.of(network(), param);
  }

  /**
   * Classes of a class-conditional model (labels 0 … classes−1), or 0 when it ignores labels.
   *
   * @return the number of classes, 0 by default
   */
  default int classes() {
    return 0;
  }

  /**
   * The Gaussian mixture whose exact denoiser this model is (likelihoods are then exact), or null for a network.
   *
   * @return the mixture, or null (the default)
   */
  default GaussianMixture mixture() {
    return null;
  }

  /**
   * Whether there is anything to train.
   *
   * @return true if {@link #variables()} is non-empty
   */
  default boolean trainable() {
    return !variables().isEmpty();
  }
}
