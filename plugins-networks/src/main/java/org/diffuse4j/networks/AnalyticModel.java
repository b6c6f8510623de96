package org.diffuse4j.networks;

import java.util.List;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.model.Model;
import org.tensorflow.op.core.Variable;

/** The exact Gaussian-mixture denoiser as a model with nothing to train (the parameterisation is unused). */
public record AnalyticModel(GaussianMixture mixture) implements Model {
  @Override
  public Network network() {
    return null;
  }

  @Override
  public List<Variable<?>> variables() {
    return List.of();
  }

  @Override
  public ConditionalDenoiser denoiser(Parameterisation param, Schedule schedule) {
    return mixture.denoiser(schedule);
  }
}
