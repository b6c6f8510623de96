package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * A model's prediction at (x, t) expressed as the pair (x̂0, ε̂) with x = α x̂0 + σ ε̂; every other
 * target is derived here, once (seed 003, eq. 9): score s = −ε̂/σ, probability-flow velocity
 * dx/dt = α̇ x̂0 + σ̇ ε̂. Solvers ask for the target they need.
 */
public record Prediction(Tensor x, PathPoint point, Tensor x0, Tensor eps) {

  /** Denoised estimate E[x0 | x_t]. */
  public Tensor x0() {
    return x0;
  }

  /** Noise estimate E[ε | x_t]. */
  public Tensor eps() {
    return eps;
  }

  /** Score ∇ₓ log q_t(x) = −ε̂/σ. */
  public Tensor score() {
    return eps.div(point.sigma()).neg();
  }

  /** Probability-flow ODE velocity dx/dt = α̇ x̂0 + σ̇ ε̂ (= f x − ½ g² s). */
  public Tensor velocity() {
    return x0.times(point.alphaDot()).plus(eps.times(point.sigmaDot()));
  }

  /** Salimans–Ho v-prediction v = α ε̂ − σ x̂0. */
  public Tensor v() {
    return eps.times(point.alpha()).minus(x0.times(point.sigma()));
  }

  /** The same prediction with a different denoised estimate; ε̂ is re-derived so x = α x̂0 + σ ε̂ still holds. */
  public Prediction withX0(Tensor newX0) {
    return new Prediction(x, point, newX0, x.minus(newX0.times(point.alpha())).div(point.sigma()));
  }

  /** this + w·(other − this), componentwise on (x̂0, ε̂): the affine combination guidance uses. */
  public Prediction extrapolate(Prediction other, double w) {
    return new Prediction(
        x,
        point,
        x0.plus(other.x0.minus(x0).times(w)),
        eps.plus(other.eps.minus(eps).times(w)));
  }
}
