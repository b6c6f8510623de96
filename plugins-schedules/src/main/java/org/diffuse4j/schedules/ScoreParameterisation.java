package org.diffuse4j.schedules;

import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.tensor.Tensor;

/**
 * The network predicts the score s = ∇ₓ log q_t(x) (Song &amp; Ermon 2019): ε̂ = −σ s and, by Tweedie,
 * x̂0 = (x + σ² s)/α (seed 003, eq. 4 and 9). The target is the conditional score −ε/σ (eq. 7).
 */
public record ScoreParameterisation() implements Parameterisation {

  @Override
  public Prediction interpret(Tensor raw, Tensor x, PathPoint p) {
    return Prediction.fromScore(x, p, raw);
  }

  @Override
  public Tensor target(Tensor x0, Tensor eps, Tensor xt, PathPoint p) {
    return new Prediction(xt, p, x0, eps).score();
  }
}
