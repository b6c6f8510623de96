package org.diffuse4j.solvers.exponential;

import java.util.List;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Adams–Bashforth on DDIM's clock: in y = x/α, ρ = σ/α the PF-ODE is dy/dρ = ε̂ (seed 003 eq. 52),
 * and y_t = y_s + Σ_j w_j ε̂_j with w_j = ∫_{ρ_s}^{ρ_t} ℓ_j(ρ) dρ over the last p values of ε̂.
 * This is ρAB-DEIS (Zhang &amp; Chen 2023, §4, "ρAB") and k-diffusion's {@code sample_lms}
 * (σ there is ρ here). Order 1 is DDIM. ρ = 0 at σ = 0, so a grid may end at data with no special case.
 * 1 evaluation per step, history p − 1. Declared order p, measured on λ-uniform grids at
 * 64–512 steps (docs/solvers.md): there the nodes ρ_k are geometric (ratio e^h), so the
 * polynomial extrapolates over a span (e^{(p−1)h} − 1)ρ_k that is small only for small h, and the
 * asymptotic order shows later than for polynomials in λ. Warm-up and {@code lower_order_final} as
 * in {@link ExponentialAdams}.
 */
public record RhoAdams(String name, int order, LowerOrderFinal lowerOrderFinal) implements Solver {

  /** With the default {@code lower_order_final} rule. */
  public RhoAdams(String name, int order) {
    this(name, order, LowerOrderFinal.BELOW_10);
  }

  public RhoAdams {
    if (order < 1 || order > 4) {
      throw new IllegalArgumentException(name + " order must be 1 to 4, got " + order);
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
    List<Tensor> history = Clock.append(state.history(), problem.predict(state.x(), k).eps());
    int p = lowerOrderFinal.cap(Math.min(order, history.size()), k, problem.steps());
    double rhoS = Clock.rho(problem, k);
    double[] nodes = new double[p];
    for (int j = 0; j < p; j++) {
      nodes[j] = Clock.rho(problem, k - j) - rhoS;
    }
    double[] w = Lagrange.integral(nodes, Clock.rho(problem, k + 1) - rhoS);
    Tensor y = state.x().div(Clock.alpha(problem, k)).plus(Clock.combineNewestFirst(history, w));
    return state.next(y.times(Clock.alpha(problem, k + 1)), history, 1, order - 1);
  }
}
