package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * What a network's raw output means (ε, x0, score, velocity, v, EDM preconditioning): it gives the
 * network's input scaling and time label, turns a raw output into a {@link Prediction} and gives the
 * training target. Conversions between targets live in {@link Prediction}, written once.
 */
public interface Parameterisation {

  /**
   * The tensor fed to the network as x (EDM's c_in·x); x itself by default.
   *
   * @param x the noisy state x_t, shape [B, …]
   * @param p the path coefficients at x's time
   * @return the network's input, shape of {@code x}
   */
  default Tensor networkInput(Tensor x, PathPoint p) {
    return x;
  }

  /**
   * The time label fed to the network (EDM's c_noise); t by default.
   *
   * @param p the path coefficients at the time
   * @return the network's time input, shaped like {@code p.t()} (a scalar or a [B, 1] column)
   */
  default Tensor networkTime(PathPoint p) {
    return p.t();
  }

  /**
   * Interprets a raw network output at (x, p).
   *
   * @param raw the network's raw output at (x, p), shape of {@code x}
   * @param x the noisy state x_t, shape [B, …]
   * @param p the path coefficients at x's time
   * @return the prediction (x̂0, ε̂) at (x, p)
   */
  Prediction interpret(Tensor raw, Tensor x, PathPoint p);

  /**
   * The regression target for the raw output, given the clean sample, the noise and x_t.
   *
   * @param x0 the clean samples, shape [B, …]
   * @param eps the noise, shape of {@code x0}
   * @param xt the noised samples α x0 + σ ε, shape of {@code x0}
   * @param p the path coefficients at the examples' times, [B, 1] columns
   * @return the raw output a perfect network would give (for example ε, x0 or v), shape of {@code x0}
   */
  Tensor target(Tensor x0, Tensor eps, Tensor xt, PathPoint p);
}
