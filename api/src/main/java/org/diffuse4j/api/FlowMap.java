package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * A flow-map model as a solver sees it: G(x, s, t) ≈ Ψ_{s→t}(x), the point at time t of the
 * probability-flow ODE trajectory through x at time s (seed 001 §J, L173–177), with network,
 * parameterisation and condition already composed. Every flow map satisfies the boundary
 * G(x, s, s) = x. One call is one model evaluation. Times come as {@link PathPoint}s: scalars while
 * sampling, per-sample columns while training.
 */
@FunctionalInterface
public interface FlowMap {

  /**
   * The jump from x at time s to time t.
   *
   * @param x the state at time s, shape [B, …]
   * @param s the path point of the start time (scalar or per-sample column)
   * @param t the path point of the end time (scalar or per-sample column)
   * @return G(x, s, t), the estimated state at time t, shape of {@code x}
   */
  Tensor jump(Tensor x, PathPoint s, PathPoint t);

  /**
   * The flow map every denoiser implies, DDIM's jump (Song et al. 2021, eq. 12 with η = 0):
   * G(x, s, t) = α_t x̂0 + σ_t ε̂ with (x̂0, ε̂) the model's prediction at (x, s). It is exact for
   * point-mass data and is the jump TCD and LCM make with an ordinary ε-, x0- or v-network.
   *
   * @param model the denoiser whose prediction at (x, s) defines the jump
   * @return the DDIM flow map of {@code model}
   */
  static FlowMap ddim(Denoiser model) {
    return (x, s, t) -> {
      Prediction p = model.predict(x, s);
      return p.x0().times(t.alpha()).plus(p.eps().times(t.sigma()));
    };
  }
}
