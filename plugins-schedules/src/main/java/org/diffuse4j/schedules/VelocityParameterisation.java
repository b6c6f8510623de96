package org.diffuse4j.schedules;

import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.tensor.Tensor;

/**
 * The network predicts the probability-flow velocity v = dx/dt = α̇ x0 + σ̇ ε (flow matching in our
 * clock). Inverting with D = α σ̇ − σ α̇: x̂0 = (σ̇ x − σ v)/D, ε̂ = (α v − α̇ x)/D (seed 003 §2.2).
 */
public record VelocityParameterisation() implements Parameterisation {

  @Override
  public Prediction interpret(Tensor raw, Tensor x, PathPoint p) {
    return Prediction.fromVelocity(x, p, raw);
  }

  @Override
  public Tensor target(Tensor x0, Tensor eps, Tensor xt, PathPoint p) {
    return x0.times(p.alphaDot()).plus(eps.times(p.sigmaDot()));
  }
}
