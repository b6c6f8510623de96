package org.diffuse4j.solvers;

import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Euler ancestral (k-diffusion's {@code sample_euler_ancestral}; Karras et al. 2022 notation) in the
 * variance-exploding chart y = x/α, σ̂ = σ/α, where dy/dσ̂ = ε̂ (seed 003 eq. 52): split the target
 * noise level into σ_up = min(σ̂_s, η √(σ̂_s²(σ̂_t² − σ̂_s²)/σ̂_t²)) and σ_down = √(σ̂_s² − σ_up²),
 * take an Euler step to σ_down, y' = y + (σ_down − σ̂_t) ε̂, then add σ_up·s_noise·ξ; x' = α_s y'.
 * η = 0 is DDIM; η = 1 matches DDPM's ancestral variance. Weak order 1, one call per step.
 *
 * @param eta ancestral noise fraction η ≥ 0
 * @param sNoise noise inflation (1 = exact)
 */
public record EulerAncestral(double eta, double sNoise) implements Solver {

  public EulerAncestral {
    if (!(eta >= 0) || !(sNoise >= 0)) {
      throw new IllegalArgumentException("euler-ancestral needs eta >= 0 and s_noise >= 0, got eta=" + eta + ", s_noise=" + sNoise);
    }
  }

  @Override
  public SolverTraits traits() {
    return new SolverTraits(1, 1, eta > 0 && sNoise > 0, 0);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    Schedule sch = problem.schedule();
    double t = problem.t(k);
    double s = problem.t(k + 1);
    double sigT = sch.sigma(t) / sch.alpha(t);
    double sigS = sch.sigma(s) / sch.alpha(s);
    AncestralStep split = AncestralStep.of(eta, sigT, sigS);
    double up = split.up();
    double down = split.down();
    Tensor x = state.x();
    Prediction p = problem.predict(x, k);
    Tensor y = x.div(sch.alpha(t)).plus(p.eps().times(down - sigT));
    if (up > 0) {
      y = y.plus(NoiseStreams.gaussian(problem, k, 0, x).times(up * sNoise));
    }
    return state.next(y.times(sch.alpha(s)), 1);
  }
}
