package org.diffuse4j.solvers.exponential;

import java.util.List;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * DPM-Solver++(2M) (Lu et al. 2022b, Algorithm 2), data prediction, multistep: with
 * h = λ_t − λ_s, r = h_prev/h and D = (1 + 1/2r) x̂0_s − (1/2r) x̂0_prev,
 * x_t = (σ_t/σ_s) x_s − α_t(e^{−h} − 1) D. The first step (no history) uses D = x̂0_s (DDIM);
 * global order 2 all the same. 1 evaluation per step, history 1. A last step to σ = 0 is α·x̂0_s.
 */
public record DpmppTwoM() implements Solver {

  @Override
  public SolverTraits traits() {
    return new SolverTraits(2, 1, false, 1);
  }

  @Override
  public SolverState init(SamplingProblem problem) {
    Clock.requireFiniteStart(problem, "dpmpp-2m");
    return Solver.super.init(problem);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    Tensor x0 = problem.predict(state.x(), k).x0();
    List<Tensor> history = Clock.append(state.history(), x0);
    double alphaT = Clock.alpha(problem, k + 1);
    if (Clock.endsAtData(problem, k)) {
      return state.next(x0.times(alphaT), history, 1, 1);
    }
    double lambdaS = Clock.lambda(problem, k);
    double h = Clock.lambda(problem, k + 1) - lambdaS;
    Tensor d = x0;
    if (history.size() > 1) {
      double r = (lambdaS - Clock.lambda(problem, k - 1)) / h;
      d = x0.times(1 + 1 / (2 * r)).minus(Clock.back(history, 1).times(1 / (2 * r)));
    }
    Tensor xT = state.x().times(Clock.sigma(problem, k + 1) / Clock.sigma(problem, k))
        .minus(d.times(alphaT * Math.expm1(-h)));
    return state.next(xT, history, 1, 1);
  }
}
