package org.diffuse4j.solvers.flowmap;

import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;

/**
 * A flow map chained over the grid: x_{k+1} = G(x_k, t_k, t_{k+1}) (seed 001 L177; CTM's
 * deterministic multistep sampling, Kim et al. 2024 §5 with γ = 0). One step is the one-jump
 * sampler G(x_T, T, t_end). With an exact flow map every grid gives the exact end point; with a
 * model that has no flow map, {@link SamplingProblem#jump} is DDIM's jump and this is DDIM.
 */
public record FlowMapChain() implements Solver {

  @Override
  public SolverTraits traits() {
    return new SolverTraits(1, 1, false, 0);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    return state.next(problem.jump(state.x(), problem.t(k), problem.t(k + 1)), 1);
  }
}
