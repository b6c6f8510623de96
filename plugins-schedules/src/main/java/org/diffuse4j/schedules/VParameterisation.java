package org.diffuse4j.schedules;

import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Salimans &amp; Ho 2022 v-prediction, v = α ε − σ x0, for any schedule. With x = α x0 + σ ε the
 * inverse is x̂0 = (α x − σ v)/(α² + σ²), ε̂ = (σ x + α v)/(α² + σ²) (the denominator is 1 on VP
 * schedules). For α² + σ² = 1 the velocity dx/dt is v times the angular speed (seed 003, fn 8).
 */
public record VParameterisation() implements Parameterisation {

  @Override
  public Prediction interpret(Tensor raw, Tensor x, PathPoint p) {
    return Prediction.fromV(x, p, raw);
  }

  @Override
  public Tensor target(Tensor x0, Tensor eps, Tensor xt, PathPoint p) {
    return new Prediction(xt, p, x0, eps).v();
  }
}
