package org.diffuse4j.solvers.exponential;

import java.util.List;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * DPM-Solver++(2M) and its SDE variant, one formula (Lu et al. 2022b, Algorithm 2 and §5 / App.;
 * k-diffusion {@code sample_dpmpp_2m} and {@code sample_dpmpp_2m_sde}, midpoint form): with
 * h = λ_t − λ_s, r = h_prev/h,
 * x_t = (σ_t/σ_s) e^{−ηh} x_s + α_t(1 − e^{−(1+η)h})[x̂0_s + (x̂0_s − x̂0_prev)/(2r)] + σ_t √(1 − e^{−2ηh}) ξ.
 * η = 0 is {@code dpmpp-2m} (deterministic, order 2, the paper's φ₁-only coefficients 1 + 1/2r,
 * −1/2r, as in diffusers and k-diffusion); η = 1 is {@code dpmpp-2m-sde}, the reverse SDE (weak
 * order 1). {@code solver_type: heun} (on {@code dpmpp-2m}: {@code taylor}) replaces the midpoint coefficient gain/(2r) by
 * (1 − gain/ĥ)/r, ĥ = (1 + η)h (k-diffusion's Heun form; with η = 0 the exact integral of the linear
 * interpolant, = {@code res-multistep}). The first step has no correction (DDIM), nor, with {@code lower_order_final}, the last
 * step of a run shorter than 10 steps ({@link LowerOrderFinal}). 1 evaluation per step, history 1. Noise:
 * stream k + 1. A last step to σ = 0 is α·x̂0.
 */
public record DpmppTwoM(double eta, LowerOrderFinal lowerOrderFinal, boolean heun) implements Solver {

  /** Midpoint form, the default {@code lower_order_final} rule. */
  public DpmppTwoM(double eta) {
    this(eta, LowerOrderFinal.BELOW_10, false);
  }

  /** Midpoint form. */
  public DpmppTwoM(double eta, LowerOrderFinal lowerOrderFinal) {
    this(eta, lowerOrderFinal, false);
  }

  public DpmppTwoM {
    if (!(eta >= 0)) {
      throw new IllegalArgumentException("dpmpp-2m-sde needs eta >= 0, got eta=" + eta);
    }
  }

  @Override
  public SolverTraits traits() {
    return new SolverTraits(eta > 0 ? 1 : 2, 1, eta > 0, 1);
  }

  @Override
  public SolverState init(SamplingProblem problem) {
    Clock.requireFiniteStart(problem, eta > 0 ? "dpmpp-2m-sde" : "dpmpp-2m");
    return Solver.super.init(problem);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    Tensor x0 = problem.predict(state.x(), k).x0();
    List<Tensor> history = Clock.append(state.history(), x0);
    double alphaT = Clock.alpha(problem, k + 1);
    double sigmaT = Clock.sigma(problem, k + 1);
    if (Clock.endsAtData(problem, k)) {
      return state.next(x0.times(alphaT), history, 1, 1);
    }
    double lambdaS = Clock.lambda(problem, k);
    double h = Clock.lambda(problem, k + 1) - lambdaS;
    double gain = -Math.expm1(-(1 + eta) * h);
    Tensor d = x0;
    if (lowerOrderFinal.cap(Math.min(2, history.size()), k, problem.steps()) > 1) {
      double r = (lambdaS - Clock.lambda(problem, k - 1)) / h;
      // the correction α_t·gain·c·Δ is α_t·gain/(2r)·Δ (midpoint) or α_t·(1 − gain/ĥ)/r·Δ (heun)
      double c = heun ? (1 - gain / ((1 + eta) * h)) / (r * gain) : 1 / (2 * r);
      d = x0.plus(x0.minus(Clock.back(history, 1)).times(c));
    }
    Tensor xT = state.x().times(sigmaT / Clock.sigma(problem, k) * Math.exp(-eta * h)).plus(d.times(alphaT * gain));
    if (eta > 0) {
      double c = sigmaT * Math.sqrt(-Math.expm1(-2 * eta * h));
      xT = xT.plus(problem.noise().gaussian(Clock.stream(k, 0), state.x()).times(c));
    }
    return state.next(xT, history, 1, 1);
  }
}
