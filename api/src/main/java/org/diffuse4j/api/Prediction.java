package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * A model's prediction at (x, t) expressed as the pair (x̂0, ε̂) with x = α x̂0 + σ ε̂; every other
 * target is derived here, once (seed 003, eq. 9): score s = −ε̂/σ, probability-flow velocity
 * dx/dt = α̇ x̂0 + σ̇ ε̂. Solvers ask for the target they need.
 *
 * @param x the noisy input x the prediction was made at, shape [B, …]
 * @param point the path coefficients (α, σ, α̇, σ̇) at the prediction's time
 * @param x0 the denoised estimate x̂0, shape of {@code x}
 * @param eps the noise estimate ε̂, shape of {@code x}
 */
public record Prediction(Tensor x, PathPoint point, Tensor x0, Tensor eps) {

  /**
   * The prediction whose denoised estimate is {@code x0}: ε̂ = (x − α x̂0)/σ.
   *
   * @param x the noisy input, shape [B, …]
   * @param p the path coefficients at the prediction's time (σ &gt; 0)
   * @param x0 the denoised estimate x̂0, shape of {@code x}
   * @return the pair (x̂0, ε̂) at (x, p)
   */
  public static Prediction fromX0(Tensor x, PathPoint p, Tensor x0) {
    return new Prediction(x, p, x0, x.minus(x0.times(p.alpha())).div(p.sigma()));
  }

  /**
   * The prediction whose noise estimate is {@code eps}: x̂0 = (x − σ ε̂)/α.
   *
   * @param x the noisy input, shape [B, …]
   * @param p the path coefficients at the prediction's time (α &gt; 0)
   * @param eps the noise estimate ε̂, shape of {@code x}
   * @return the pair (x̂0, ε̂) at (x, p)
   */
  public static Prediction fromEps(Tensor x, PathPoint p, Tensor eps) {
    return new Prediction(x, p, x.minus(eps.times(p.sigma())).div(p.alpha()), eps);
  }

  /**
   * The prediction whose score is {@code score}: ε̂ = −σ s.
   *
   * @param x the noisy input, shape [B, …]
   * @param p the path coefficients at the prediction's time (α &gt; 0)
   * @param score the score estimate s ≈ ∇ₓ log q_t(x), shape of {@code x}
   * @return the pair (x̂0, ε̂) at (x, p)
   */
  public static Prediction fromScore(Tensor x, PathPoint p, Tensor score) {
    return fromEps(x, p, score.times(p.sigma()).neg());
  }

  /**
   * The prediction whose probability-flow velocity is {@code v} = α̇ x̂0 + σ̇ ε̂: with x = α x̂0 + σ ε̂,
   * x̂0 = (σ̇ x − σ v)/D and ε̂ = (α v − α̇ x)/D, D = α σ̇ − σ α̇ ({@link PathPoint#d()}).
   *
   * @param x the noisy input, shape [B, …]
   * @param p the path coefficients at the prediction's time (D ≠ 0)
   * @param v the probability-flow velocity dx/dt, shape of {@code x}
   * @return the pair (x̂0, ε̂) at (x, p)
   */
  public static Prediction fromVelocity(Tensor x, PathPoint p, Tensor v) {
    Tensor d = p.d();
    return new Prediction(x, p, x.times(p.sigmaDot()).minus(v.times(p.sigma())).div(d),
        v.times(p.alpha()).minus(x.times(p.alphaDot())).div(d));
  }

  /**
   * The prediction whose Salimans–Ho v is {@code v} = α ε̂ − σ x̂0: x̂0 = (α x − σ v)/(α² + σ²) and
   * ε̂ = (σ x + α v)/(α² + σ²).
   *
   * @param x the noisy input, shape [B, …]
   * @param p the path coefficients at the prediction's time
   * @param v the v-prediction α ε̂ − σ x̂0, shape of {@code x}
   * @return the pair (x̂0, ε̂) at (x, p)
   */
  public static Prediction fromV(Tensor x, PathPoint p, Tensor v) {
    Tensor norm = p.alpha().square().plus(p.sigma().square());
    return new Prediction(x, p, x.times(p.alpha()).minus(v.times(p.sigma())).div(norm),
        x.times(p.sigma()).plus(v.times(p.alpha())).div(norm));
  }

  /**
   * Denoised estimate E[x0 | x_t].
   *
   * @return x̂0, shape of {@code x}
   */
  public Tensor x0() {
    return x0;
  }

  /**
   * Noise estimate E[ε | x_t].
   *
   * @return ε̂, shape of {@code x}
   */
  public Tensor eps() {
    return eps;
  }

  /**
   * Score ∇ₓ log q_t(x) = −ε̂/σ.
   *
   * @return the score −ε̂/σ, shape of {@code x}
   */
  public Tensor score() {
    return eps.div(point.sigma()).neg();
  }

  /**
   * Probability-flow ODE velocity dx/dt = α̇ x̂0 + σ̇ ε̂ (= f x − ½ g² s).
   *
   * @return the velocity α̇ x̂0 + σ̇ ε̂, shape of {@code x}
   */
  public Tensor velocity() {
    return x0.times(point.alphaDot()).plus(eps.times(point.sigmaDot()));
  }

  /**
   * Salimans–Ho v-prediction v = α ε̂ − σ x̂0.
   *
   * @return v = α ε̂ − σ x̂0, shape of {@code x}
   */
  public Tensor v() {
    return eps.times(point.alpha()).minus(x0.times(point.sigma()));
  }

  /**
   * The same prediction with a different denoised estimate; ε̂ is re-derived so x = α x̂0 + σ ε̂ still holds.
   *
   * @param newX0 the replacement denoised estimate, shape of {@code x} (for example clipped or thresholded)
   * @return the prediction (newX0, (x − α newX0)/σ) at the same (x, t)
   */
  public Prediction withX0(Tensor newX0) {
    return fromX0(x, point, newX0);
  }

  /**
   * this + w·(other − this), componentwise on (x̂0, ε̂): the affine combination guidance uses.
   *
   * @param other the prediction at the same (x, t) to move towards (for example the conditional one)
   * @param w the weight: 0 gives this, 1 gives {@code other}, w &gt; 1 extrapolates past it
   * @return the combined prediction at the same (x, t)
   */
  public Prediction extrapolate(Prediction other, double w) {
    return new Prediction(
        x,
        point,
        x0.plus(other.x0.minus(x0).times(w)),
        eps.plus(other.eps.minus(eps).times(w)));
  }
}
