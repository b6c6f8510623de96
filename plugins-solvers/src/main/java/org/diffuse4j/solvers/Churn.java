package org.diffuse4j.solvers;

import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.tensor.Tensor;

/**
 * EDM's churn (Karras et al. 2022, Algorithm 2, lines 4–6) in the chart y = x/α, σ̂ = σ/α: at step k
 * of N, when σ̂_k ∈ [S_tmin, S_tmax], raise the noise level to σ̂_hat = (1 + γ) σ̂_k with
 * γ = min(S_churn/N, √2 − 1) by adding √(σ̂_hat² − σ̂_k²)·S_noise·ξ (noise stream k + 1). σ̂_hat is
 * capped at σ̂(t_max), since the model is not defined beyond t_max.
 *
 * @param name the solver, for messages
 * @param sChurn total churn S_churn ≥ 0 (0 = none)
 * @param sTmin lowest σ̂ that is churned
 * @param sTmax highest σ̂ that is churned
 * @param sNoise noise inflation S_noise
 */
record Churn(String name, double sChurn, double sTmin, double sTmax, double sNoise) {

  Churn {
    if (!(sChurn >= 0) || !(sTmin >= 0) || !(sTmax >= sTmin) || !(sNoise >= 0)) {
      throw new IllegalArgumentException(name + " needs s_churn >= 0, 0 <= s_tmin <= s_tmax and s_noise >= 0, got "
          + sChurn + ", " + sTmin + ", " + sTmax + ", " + sNoise);
    }
  }

  /** The point after the churn of a step: y at noise level σ̂ (time t); {@code churned} false when γ = 0. */
  record Raised(Tensor y, double sigma, double t, boolean churned) {}

  /** Step k's churn applied to y = x/α at grid time t_k where σ̂ = sig; unchanged (sig, t_k) when γ = 0. */
  Raised raise(SamplingProblem problem, int k, Tensor y, double sig) {
    Schedule sch = problem.schedule();
    double t = problem.t(k);
    double gamma = sig >= sTmin && sig <= sTmax ? Math.min(sChurn / problem.steps(), Math.sqrt(2) - 1) : 0;
    double sigHat = Math.min(sig * (1 + gamma), sch.sigmaOverAlpha(sch.tMax()));
    if (!(sigHat > sig)) {
      return new Raised(y, sig, t, false);
    }
    Tensor raised = y.plus(NoiseStreams.gaussian(problem, k, 0, y).times(Math.sqrt(sigHat * sigHat - sig * sig) * sNoise));
    return new Raised(raised, sigHat, sch.timeOfLambda(-Math.log(sigHat)), true);
  }
}
