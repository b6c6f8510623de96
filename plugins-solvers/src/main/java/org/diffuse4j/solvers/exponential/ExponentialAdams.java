package org.diffuse4j.solvers.exponential;

import java.util.List;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Multistep exponential integrator in λ of order p (DPM-Solver multistep, Lu et al. 2022b §4 and
 * Appendix; DPM-Solver++(3M)): the model output f (ε̂ or x̂0) is replaced by the Lagrange polynomial
 * through its last p values at λ_k, λ_{k−1}, … and the variation-of-constants integral is done
 * exactly (see {@link Lagrange#exponential}):
 * <ul>
 *   <li>noise prediction (DPM-Solver, eq. 3.4): x_t = (α_t/α_s) x_s − σ_t Σ_j w_j ε̂_j,
 *       w_j = ∫₀ʰ e^{h−u} ℓ_j(u) du;
 *   <li>data prediction (DPM-Solver++, eq. 9): x_t = (σ_t/σ_s) x_s + α_t Σ_j w_j x̂0_j,
 *       w_j = ∫₀ʰ e^{−(h−u)} ℓ_j(u) du.
 * </ul>
 * The first steps use the history available (order 1, 2, …). 1 evaluation per step, history p − 1.
 * Declared order p, measured on λ-uniform grids, 32–256 steps (docs/solvers.md). The lower-order
 * first steps have local error O(e^{λ₀} h²) (the model output's λ-derivatives carry a factor
 * α/σ = e^{λ₀} at the grid's start, 10⁻² under VP, 10⁻⁴ under rectified flow), which would cap the
 * global order at 2 only once h² e^{λ₀} exceeds the O(h^p) error, far beyond any step count used.
 * A last step to σ = 0 is α·x̂0.
 */
public record ExponentialAdams(String name, int order, boolean dataPrediction) implements Solver {

  public ExponentialAdams {
    if (order < 1 || order > 3) {
      throw new IllegalArgumentException(name + " order must be 1, 2 or 3, got " + order);
    }
  }

  @Override
  public SolverTraits traits() {
    return new SolverTraits(order, 1, false, order - 1);
  }

  @Override
  public SolverState init(SamplingProblem problem) {
    Clock.requireFiniteStart(problem, name);
    return Solver.super.init(problem);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    Prediction pred = problem.predict(state.x(), k);
    List<Tensor> history = Clock.append(state.history(), dataPrediction ? pred.x0() : pred.eps());
    if (Clock.endsAtData(problem, k)) {
      return state.next(pred.x0().times(Clock.alpha(problem, k + 1)), history, 1, order - 1);
    }
    int p = Math.min(order, history.size());
    double lambdaS = Clock.lambda(problem, k);
    double h = Clock.lambda(problem, k + 1) - lambdaS;
    double[] nodes = new double[p];
    for (int j = 0; j < p; j++) {
      nodes[j] = Clock.lambda(problem, k - j) - lambdaS;
    }
    Tensor xT;
    if (dataPrediction) {
      double[] w = Lagrange.exponential(nodes, h, -h);
      xT = state.x().times(Clock.sigma(problem, k + 1) / Clock.sigma(problem, k))
          .plus(Clock.combineNewestFirst(history, w).times(Clock.alpha(problem, k + 1)));
    } else {
      double[] w = Lagrange.exponential(nodes, h, h);
      xT = state.x().times(Clock.alpha(problem, k + 1) / Clock.alpha(problem, k))
          .minus(Clock.combineNewestFirst(history, w).times(Clock.sigma(problem, k + 1)));
    }
    return state.next(xT, history, 1, order - 1);
  }
}
