package org.diffuse4j.solvers.flowmap;

import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Multistep consistency sampling (Song et al. 2023, Consistency Models, Alg. 1): every step jumps to
 * the grid's last time t_N, y = G(x_k, t_k, t_N), then noises y forward to t_{k+1} with fresh noise
 * ({@link Renoise}); the last step returns y. With α = 1 this is diffusers'
 * {@code CMStochasticIterativeScheduler}: x_{k+1} = y + s_noise·√(σ_{k+1}² − σ_min²) z on a grid
 * ending at σ_min. One evaluation per step; stochastic from two steps on.
 *
 * @param sNoise scale of the injected noise (1 = the forward marginal)
 */
public record MultistepConsistency(double sNoise) implements Solver {

  public MultistepConsistency {
    if (!(sNoise >= 0)) {
      throw new IllegalArgumentException("multistep-consistency needs s_noise >= 0, got " + sNoise);
    }
  }

  @Override
  public SolverTraits traits() {
    return new SolverTraits(1, 1, sNoise > 0, 0);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    double end = problem.t(problem.steps());
    Tensor y = problem.jump(state.x(), problem.t(k), end);
    boolean last = k + 1 == problem.steps();
    return state.next(last ? y : Renoise.forward(problem, k, y, end, problem.t(k + 1), sNoise), 1);
  }
}
