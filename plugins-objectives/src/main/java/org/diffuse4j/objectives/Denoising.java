package org.diffuse4j.objectives;

import org.diffuse4j.api.Coupling;

/**
 * Denoising score matching in any parameterisation: ℓ = λ(t)·‖f_θ(x_t, t) − target(x0, ε, x_t)‖²
 * with x_t = α x0 + σ ε; for ε-prediction and uniform weight it is DDPM's L_simple (Ho et al. 2020),
 * for velocity it is CFM on the run's schedule (Lipman et al. 2023), other weightings follow
 * Kingma &amp; Gao 2023. No override: the template's defaults are this objective.
 */
public final class Denoising extends RegressionObjective {

  public Denoising(TimeDensity time, Weighting weighting, ConditionDropout dropout) {
    super(time, weighting, Coupling.INDEPENDENT, dropout);
  }
}
