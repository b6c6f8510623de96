package org.diffuse4j.solvers.exponential;

import java.util.List;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * SA-Solver (Xue et al. 2023, "SA-Solver: Stochastic Adams solver for fast sampling of diffusion
 * models", NeurIPS; data prediction, eq. 15 predictor and eq. 18 corrector), as ComfyUI runs it
 * ({@code sample_sa_solver}, no PECE). On λ = log(α/σ) with τ = τ(t_{k+1}) and h = λ_{k+1} − λ_k:
 * predictor x̃_{k+1} = (σ_{k+1}/σ_k) e^{−τ²h} x_k + α_{k+1} Σ_j b_j x̂0_j + σ_{k+1}√(1 − e^{−2τ²h}) ξ,
 * b_j = (1 + τ²)∫_{λ_k}^{λ_{k+1}} e^{−(1+τ²)(λ_{k+1}−u)} ℓ_j(u) du over the last p outputs (Lagrange
 * basis ℓ_j); after the model call at x̃_{k+1} the corrector recomputes x_{k+1} with the same noise
 * and c points that include the new output (an implicit Adams step without an extra call). The
 * corrector is written as x_{k+1} = x̃_{k+1} + α_{k+1}(Σ b^c x̂0 − Σ b^p x̂0), so the state is x̃ and
 * the past outputs. τ(t) = τ on [tau_t_min, tau_t_max] (ComfyUI's default: σ between its 20% and
 * 80% points), 0 elsewhere; τ = 0 is the ODE. With a grid ending at σ = 0 the orders drop on the
 * last steps (predictor ≤ N − 1 − k, corrector ≤ N − k), as there. 1 call per step, noise stream k + 1.
 *
 * @param predictorOrder p, 1–4
 * @param correctorOrder c, 0 (none) – 4
 * @param tau τ in its interval
 * @param tauTMin lower end of the stochastic interval in t
 * @param tauTMax upper end of the stochastic interval in t
 * @param sNoise noise inflation
 */
public record SaSolver(int predictorOrder, int correctorOrder, double tau, double tauTMin, double tauTMax, double sNoise)
    implements Solver {

  public SaSolver {
    if (predictorOrder < 1 || predictorOrder > 4 || correctorOrder < 0 || correctorOrder > 4) {
      throw new IllegalArgumentException("sa-solver needs predictor_order 1..4 and corrector_order 0..4, got "
          + predictorOrder + " and " + correctorOrder);
    }
    if (!(tau >= 0) || !(sNoise >= 0) || !(tauTMin <= tauTMax)) {
      throw new IllegalArgumentException("sa-solver needs tau >= 0, s_noise >= 0 and tau_t_min <= tau_t_max, got tau="
          + tau + ", s_noise=" + sNoise + ", interval [" + tauTMin + ", " + tauTMax + "]");
    }
  }

  private int kept() {
    return Math.max(predictorOrder, correctorOrder);
  }

  private boolean stochastic() {
    return tau > 0 && sNoise > 0;
  }

  /** Weak order 1 with noise; without, the predictor–corrector pair's order min(p + 1, c) (p without corrector). */
  @Override
  public SolverTraits traits() {
    double order = stochastic() ? 1 : correctorOrder == 0 ? predictorOrder : Math.min(predictorOrder + 1, correctorOrder);
    return new SolverTraits(order, 1, stochastic(), kept());
  }

  @Override
  public SolverState init(SamplingProblem problem) {
    Clock.requireFiniteStart(problem, "sa-solver");
    return Solver.super.init(problem);
  }

  private double tauAt(double t) {
    return t >= tauTMin && t <= tauTMax ? tau : 0;
  }

  /** Σ_j b_j x̂0_j over the n newest outputs, integrating from grid point {@code from} to {@code from + 1}. */
  private static Tensor adams(SamplingProblem problem, List<Tensor> outputs, int newest, int n, int from, double tau) {
    double lambdaS = Clock.lambda(problem, from);
    double h = Clock.lambda(problem, from + 1) - lambdaS;
    double m = 1 + tau * tau;
    double[] nodes = new double[n];
    for (int j = 0; j < n; j++) {
      nodes[j] = Clock.lambda(problem, newest - j) - lambdaS;
    }
    double[] w = Lagrange.exponential(nodes, h, -m * h);
    Tensor sum = null;
    for (int j = 0; j < n; j++) {
      Tensor term = Clock.back(outputs, j).times(m * w[j]);
      sum = sum == null ? term : sum.plus(term);
    }
    return sum;
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    int steps = problem.steps();
    boolean lowerToEnd = Clock.sigma(problem, steps) == 0;
    Tensor d0 = problem.predict(state.x(), k).x0();
    List<Tensor> history = Clock.append(state.history(), d0);
    int available = Math.min(k + 1, kept());
    Tensor x = state.x();
    // corrector (no extra call): replace the previous predictor's sum by the corrector's
    int c = k == 0 || Clock.endsAtData(problem, k) ? 0 : Math.min(correctorOrder, available);
    if (lowerToEnd) {
      c = Math.min(c, steps - k);
    }
    if (c > 0) {
      double tauPrev = tauAt(problem.t(k));
      int pPrev = Math.min(predictorOrder, Math.min(k, kept()));
      if (lowerToEnd) {
        pPrev = Math.min(pPrev, steps - k);
      }
      double alphaK = Clock.alpha(problem, k);
      Tensor corrector = adams(problem, history, k, c, k - 1, tauPrev);
      Tensor predictor = adams(problem, history.subList(0, history.size() - 1), k - 1, pPrev, k - 1, tauPrev);
      x = x.plus(corrector.minus(predictor).times(alphaK));
    }
    double alphaT = Clock.alpha(problem, k + 1);
    if (Clock.endsAtData(problem, k)) {
      return state.next(d0.times(alphaT), history, 1, kept());
    }
    int p = Math.min(predictorOrder, available);
    if (lowerToEnd) {
      p = Math.min(p, steps - 1 - k);
    }
    double t = tauAt(problem.t(k + 1));
    double h = Clock.lambda(problem, k + 1) - Clock.lambda(problem, k);
    double sigmaT = Clock.sigma(problem, k + 1);
    Tensor next = x.times(sigmaT / Clock.sigma(problem, k) * Math.exp(-t * t * h))
        .plus(adams(problem, history, k, p, k, t).times(alphaT));
    if (t > 0 && sNoise > 0) {
      double scale = sigmaT * Math.sqrt(-Math.expm1(-2 * t * t * h)) * sNoise;
      next = next.plus(problem.noise().gaussian(Clock.stream(k, 0), state.x()).times(scale));
    }
    return state.next(next, history, 1, kept());
  }
}
