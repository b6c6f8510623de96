package org.diffuse4j.schedules;

import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.tensor.Tensor;

/** The network predicts the noise ε (Ho et al. 2020); x̂0 = (x − σ ε̂)/α (seed 003, eq. 9). */
public record EpsParameterisation() implements Parameterisation {

  @Override
  public Prediction interpret(Tensor raw, Tensor x, PathPoint p) {
    return Prediction.fromEps(x, p, raw);
  }

  @Override
  public Tensor target(Tensor x0, Tensor eps, Tensor xt, PathPoint p) {
    return eps;
  }
}
