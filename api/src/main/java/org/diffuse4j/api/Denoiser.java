package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * The model as a solver sees it: (x, time) ↦ {@link Prediction}, with network, parameterisation,
 * condition and guidance already composed. Each call costs {@link #evaluationsPerCall()} network
 * evaluations.
 */
public interface Denoiser {

  Prediction predict(Tensor x, PathPoint p);

  /** Network evaluations per call (2 for classifier-free guidance). */
  default int evaluationsPerCall() {
    return 1;
  }
}
