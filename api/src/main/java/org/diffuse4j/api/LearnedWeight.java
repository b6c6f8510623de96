package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * A learned log-variance u_φ of the loss at each time, trained with the model (uncertainty weighting,
 * Kendall et al. 2018, as EDM2 uses it: Karras et al. 2024, Analyzing and Improving the Training
 * Dynamics of Diffusion Models, eq. 21; sCM's adaptive weight w_φ = −u_φ, Lu &amp; Song 2024, eq. 9):
 * a per-example loss L becomes L·e^{−u} + u. For fixed θ the minimiser is u(t) = ln E[L | t], so
 * every time ends up contributing about equally to the gradient, whatever the scale of its loss.
 * Objectives ask for it with {@link Objective.Need#WEIGHTING}; the trainer builds it
 * ({@link TrainingNetworks#weighting()}) and trains φ with θ.
 */
@FunctionalInterface
public interface LearnedWeight {

  /**
   * u_φ at each example's time.
   *
   * @param p the examples' path points ([B, 1] columns)
   * @return u, shape [B]
   */
  Tensor logVariance(PathPoint p);

  /**
   * The weighted loss L·e^{−u} + u, per example.
   *
   * @param loss the per-example loss L, shape [B]
   * @param p the examples' path points, where u is read
   * @return L·e^{−u(t)} + u(t), shape [B]
   */
  default Tensor weigh(Tensor loss, PathPoint p) {
    Tensor u = logVariance(p);
    return loss.times(u.neg().exp()).plus(u);
  }
}
