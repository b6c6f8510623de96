package org.diffuse4j.solvers.exponential;

import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * DDIM (Song, Meng &amp; Ermon 2021, eq. 12): x_t = α_t x̂0 + √(σ_t² − c²) ε̂ + c ξ with
 * c = η σ_t √(1 − e^{−2h}), h = λ_t − λ_s (η·the forward posterior std). η = 0 is the deterministic
 * DDIM, one Euler step of dy/dρ = ε̂ in y = x/α, ρ = σ/α (seed 003 eq. 52–53) and first-order
 * DPM-Solver; η = 1 is ancestral sampling (DDPM posterior, = SDE-DPM-Solver++(1)). Written in this
 * form it needs no special case at either end of the grid. Noise: stream k + 1.
 */
public record Ddim(double eta) implements Solver {

  public Ddim {
    if (!(eta >= 0) || eta > 1) {
      throw new IllegalArgumentException("ddim needs 0 <= eta <= 1, got eta=" + eta);
    }
  }

  @Override
  public SolverTraits traits() {
    return new SolverTraits(1, 1, eta > 0, 0);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    Prediction pred = problem.predict(state.x(), k);
    double alphaT = Clock.alpha(problem, k + 1);
    double sigmaT = Clock.sigma(problem, k + 1);
    if (eta == 0) {
      return state.next(pred.x0().times(alphaT).plus(pred.eps().times(sigmaT)), 1);
    }
    double h = Clock.lambda(problem, k + 1) - Clock.lambda(problem, k);
    double c = sigmaT == 0 ? 0 : eta * sigmaT * Math.sqrt(-Math.expm1(-2 * h));
    Tensor x = pred.x0().times(alphaT).plus(pred.eps().times(Math.sqrt(sigmaT * sigmaT - c * c)));
    if (c > 0) {
      x = x.plus(problem.noise().gaussian(Clock.stream(k, 0), state.x()).times(c));
    }
    return state.next(x, 1);
  }
}
