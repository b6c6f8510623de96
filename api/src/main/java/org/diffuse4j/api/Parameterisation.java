package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * What a network's raw output means (ε, x0, score, velocity, v, EDM preconditioning): it gives the
 * network's input scaling and time label, turns a raw output into a {@link Prediction} and gives the
 * training target. Conversions between targets live in {@link Prediction}, written once.
 */
public interface Parameterisation {

  /** The tensor fed to the network as x (EDM's c_in·x); x itself by default. */
  default Tensor networkInput(Tensor x, PathPoint p) {
    return x;
  }

  /** The time label fed to the network (EDM's c_noise); t by default. */
  default Tensor networkTime(PathPoint p) {
    return p.t();
  }

  /** Interprets a raw network output at (x, p). */
  Prediction interpret(Tensor raw, Tensor x, PathPoint p);

  /** The regression target for the raw output, given the clean sample, the noise and x_t. */
  Tensor target(Tensor x0, Tensor eps, Tensor xt, PathPoint p);
}
