package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * The model as a solver sees it: (x, time) ↦ {@link Prediction}, with network, parameterisation,
 * condition and guidance already composed. Each call costs {@link #evaluationsPerCall()} network
 * evaluations. A denoiser is a pure function of (x, time) within a solver step; {@link #next()} is
 * the one channel for state across steps (APG momentum).
 */
public interface Denoiser {

  /**
   * The prediction at state {@code x} and path point {@code p}.
   *
   * @param x the noisy state, shape [B, …]
   * @param p the path coefficients at x's time (scalars while sampling)
   * @return the prediction (x̂0, ε̂) at (x, t)
   */
  Prediction predict(Tensor x, PathPoint p);

  /**
   * Network evaluations per call (2 for classifier-free guidance).
   *
   * @return the network evaluations one {@link #predict} costs, 1 by default
   */
  default int evaluationsPerCall() {
    return 1;
  }

  /**
   * The denoiser for the next solver step; called once after each step by the sampling loop
   * ({@link Solver#solve}). A stateful guidance (APG momentum) returns one carrying the state its
   * calls in the step produced; every other denoiser returns {@code this}. A wrapper of a denoiser
   * should return a wrapper of the inner denoiser's {@code next()}.
   *
   * @return the denoiser for the next step; {@code this} by default
   */
  default Denoiser next() {
    return this;
  }
}
