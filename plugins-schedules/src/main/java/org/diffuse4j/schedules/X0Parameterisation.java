package org.diffuse4j.schedules;

import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.tensor.Tensor;

/** The network predicts the clean sample x0 (Ramesh et al. 2022); ε̂ = (x − α x̂0)/σ (seed 003, eq. 9). */
public record X0Parameterisation() implements Parameterisation {

  @Override
  public Prediction interpret(Tensor raw, Tensor x, PathPoint p) {
    return Prediction.fromX0(x, p, raw);
  }

  @Override
  public Tensor target(Tensor x0, Tensor eps, Tensor xt, PathPoint p) {
    return x0;
  }
}
