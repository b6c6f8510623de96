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
 * ({@code sample_sa_solver}). On λ = log(α/σ) with τ = τ(t_{k+1}) and h = λ_{k+1} − λ_k:
 * predictor x̃_{k+1} = (σ_{k+1}/σ_k) e^{−τ²h} x_k + α_{k+1} Σ_j b_j x̂0_j + σ_{k+1}√(1 − e^{−2τ²h}) ξ,
 * b_j = (1 + τ²)∫_{λ_k}^{λ_{k+1}} e^{−(1+τ²)(λ_{k+1}−u)} ℓ_j(u) du over the last p outputs (Lagrange
 * basis ℓ_j); after the model call at x̃_{k+1} the corrector recomputes x_{k+1} with the same noise
 * and c points that include the new output (an implicit Adams step without an extra call). The
 * corrector is written as x_{k+1} = x̃_{k+1} + α_{k+1}(Σ b^c x̂0 − Σ b^p x̂0), so the state is x̃ and
 * the past outputs. τ(t) = τ on [tau_t_min, tau_t_max] (ComfyUI's default: σ between its 20% and
 * 80% points), 0 elsewhere; τ = 0 is the ODE. With a grid ending at σ = 0 the orders drop on the
 * last steps (predictor ≤ N − 1 − k, corrector ≤ N − k), as there. 1 call per step, noise stream k + 1.
 * With {@code pece} (ComfyUI's {@code sample_sa_solver_pece}) the corrected point is evaluated again
 * and that output replaces the predicted point's (2 calls per step after the first, 2N − 1 in all;
 * the corrector then also runs before a last step to σ = 0). With {@code simpleOrder2} a predictor or
 * corrector that uses two outputs takes the paper's simple coefficients (App. D): with m = 1 + τ²,
 * G = 1 − e^{−mh}, predictor b_newer = G − b_older, b_older = −m h²/(2 h₋₁); corrector
 * b_newer = m h/2, b_older = G − m h/2 (times α_{k+1}); both are second order.
 *
 * @param predictorOrder p, 1–4
 * @param correctorOrder c, 0 (none) – 4
 * @param tau τ in its interval
 * @param tauTMin lower end of the stochastic interval in t
 * @param tauTMax upper end of the stochastic interval in t
 * @param sNoise noise inflation
 * @param pece evaluate the corrected point again (PECE)
 * @param simpleOrder2 the simple second-order coefficients where two outputs are used
 */
public record SaSolver(int predictorOrder, int correctorOrder, double tau, double tauTMin, double tauTMax, double sNoise,
    boolean pece, boolean simpleOrder2) implements Solver {

  /** PEC with the Lagrange coefficients (ComfyUI's {@code sample_sa_solver} defaults). */
  public SaSolver(int predictorOrder, int correctorOrder, double tau, double tauTMin, double tauTMax, double sNoise) {
    this(predictorOrder, correctorOrder, tau, tauTMin, tauTMax, sNoise, false, false);
  }

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
    return new SolverTraits(order, twoCalls() ? 2 : 1, stochastic(), kept());
  }

  /** PECE: one call on the first step, two on every other. */
  private boolean twoCalls() {
    return pece && correctorOrder > 0;
  }

  @Override
  public int evaluations(int steps) {
    return twoCalls() ? Math.max(2 * steps - 1, 0) : steps;
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
  private Tensor adams(SamplingProblem problem, List<Tensor> outputs, int newest, int n, int from, double tau) {
    double lambdaS = Clock.lambda(problem, from);
    double h = Clock.lambda(problem, from + 1) - lambdaS;
    double m = 1 + tau * tau;
    if (simpleOrder2 && n == 2) {
      double g = -Math.expm1(-m * h);
      // corrector: nodes λ_from, λ_{from+1}; predictor: λ_{from−1}, λ_from
      double older = newest == from + 1 ? g - 0.5 * m * h : 0.5 * m * h * h / (Clock.lambda(problem, from - 1) - lambdaS);
      return Clock.back(outputs, 0).times(g - older).plus(Clock.back(outputs, 1).times(older));
    }
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
    int calls = 1;
    // corrector (no extra call but PECE's): replace the previous predictor's sum by the corrector's
    int c = k == 0 || (Clock.endsAtData(problem, k) && !pece) ? 0 : Math.min(correctorOrder, available);
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
      if (pece) {
        d0 = problem.predict(x, k).x0();
        history = Clock.append(history.subList(0, history.size() - 1), d0);
        calls = 2;
      }
    }
    double alphaT = Clock.alpha(problem, k + 1);
    if (Clock.endsAtData(problem, k)) {
      return state.next(d0.times(alphaT), history, calls, kept());
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
    return state.next(next, history, calls, kept());
  }
}
