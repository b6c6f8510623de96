package org.diffuse4j.solvers;

import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * EDM's stochastic sampler (Karras et al. 2022, Algorithm 2) in the chart y = x/α, σ̂ = σ/α:
 * when σ̂_t ∈ [S_tmin, S_tmax], raise the noise level to σ̂_hat = (1 + γ) σ̂_t with
 * γ = min(S_churn/N, √2 − 1) by adding √(σ̂_hat² − σ̂_t²)·S_noise·ξ, then take a Heun step of
 * dy/dσ̂ = ε̂ from σ̂_hat to σ̂_s (Euler when σ̂_s = 0). σ̂_hat is capped at the schedule's σ̂(t_max)
 * since the model is not defined beyond t_max. Two calls per step (one on a last step to data).
 * Weak order 1 with churn; with S_churn = 0 it is deterministic Heun in σ̂ of order 2.
 *
 * @param sChurn total churn S_churn ≥ 0 (0 = the deterministic Heun sampler)
 * @param sTmin lowest σ̂ that is churned
 * @param sTmax highest σ̂ that is churned
 * @param sNoise noise inflation S_noise
 */
public record EdmStochastic(double sChurn, double sTmin, double sTmax, double sNoise) implements Solver {

  public EdmStochastic {
    new Churn("edm-stochastic", sChurn, sTmin, sTmax, sNoise);
  }

  @Override
  public SolverTraits traits() {
    // without churn this is Heun's method on dy/dσ̂ = ε̂: deterministic, order 2
    return sChurn > 0 ? new SolverTraits(1, 2, true, 0) : new SolverTraits(2, 2, false, 0);
  }

  /** One call on a last step to σ = 0. */
  @Override
  public int evaluations(double[] times, Schedule schedule) {
    return LastStepToData.evaluations(this, times, schedule);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    Schedule sch = problem.schedule();
    double t = problem.t(k);
    double s = problem.t(k + 1);
    double sigT = sch.sigma(t) / sch.alpha(t);
    double sigS = sch.sigma(s) / sch.alpha(s);
    Churn.Raised r = new Churn("edm-stochastic", sChurn, sTmin, sTmax, sNoise).raise(problem, k, state.x().div(sch.alpha(t)), sigT);
    Tensor y = r.y();
    double tHat = r.t();
    double sigHat = r.sigma();
    Tensor d = problem.predictAt(y.times(sch.alpha(tHat)), tHat).eps();
    Tensor yNext = y.plus(d.times(sigS - sigHat));
    int calls = 1;
    if (sigS > 0) {
      Tensor d2 = problem.predictAt(yNext.times(sch.alpha(s)), s).eps();
      yNext = y.plus(d.plus(d2).times(0.5 * (sigS - sigHat)));
      calls = 2;
    }
    return state.next(yNext.times(sch.alpha(s)), calls);
  }
}
