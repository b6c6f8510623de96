package org.diffuse4j.solvers.exponential;

import java.util.List;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * SDE-DPM-Solver++(3M) as k-diffusion and ComfyUI write it ({@code sample_dpmpp_3m_sde}; Lu et al.
 * 2022b, App.): with h = λ_t − λ_s, ĥ = (1 + η)h, the divided differences of the last three x̂0 at
 * r₀ = h₋₁/h, r₁ = h₋₂/h, d₁₀ = (x̂0_s − x̂0₋₁)/r₀, d₁₁ = (x̂0₋₁ − x̂0₋₂)/r₁,
 * d₁ = d₁₀ + (d₁₀ − d₁₁) r₀/(r₀ + r₁), d₂ = (d₁₀ − d₁₁)/(r₀ + r₁), φ₂ = (e^{−ĥ} − 1)/ĥ + 1,
 * φ₃ = φ₂/ĥ − ½:
 * x_t = (σ_t/σ_s) e^{−ηh} x_s + α_t[(1 − e^{−ĥ}) x̂0_s + φ₂ d₁ − φ₃ d₂] + σ_t √(1 − e^{−2ηh}) ξ
 * (second step: φ₂ (x̂0_s − x̂0₋₁)/r₀ only; first step: DDIM). The quadratic term is half the Taylor
 * term (d₂ ≈ h²f''/2 against φ₃ where the exact integral has 2φ₃), as in the reference codes, so with
 * η = 0 this is the reference DPM-Solver++(3M), order 2 (our {@code dpmpp-3m} is the order-3 one).
 * η &gt; 0: the reverse SDE, weak order 1. 1 evaluation per step, history 2, noise stream k + 1.
 * A last step to σ = 0 is α·x̂0.
 */
public record DpmppThreeMSde(double eta, double sNoise) implements Solver {

  public DpmppThreeMSde {
    if (!(eta >= 0) || !(sNoise >= 0)) {
      throw new IllegalArgumentException("dpmpp-3m-sde needs eta >= 0 and s_noise >= 0, got eta=" + eta + ", s_noise=" + sNoise);
    }
  }

  @Override
  public SolverTraits traits() {
    boolean stochastic = eta > 0 && sNoise > 0;
    return new SolverTraits(stochastic ? 1 : 2, 1, stochastic, 2);
  }

  @Override
  public SolverState init(SamplingProblem problem) {
    Clock.requireFiniteStart(problem, "dpmpp-3m-sde");
    return Solver.super.init(problem);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    Tensor d0 = problem.predict(state.x(), k).x0();
    List<Tensor> history = Clock.append(state.history(), d0);
    if (history.size() > 3) {
      history = history.subList(history.size() - 3, history.size());
    }
    double alphaT = Clock.alpha(problem, k + 1);
    double sigmaT = Clock.sigma(problem, k + 1);
    if (Clock.endsAtData(problem, k)) {
      return state.next(d0.times(alphaT), history, 1, 2);
    }
    double lambdaS = Clock.lambda(problem, k);
    double h = Clock.lambda(problem, k + 1) - lambdaS;
    double hEta = (1 + eta) * h;
    double phi2 = Math.expm1(-hEta) / hEta + 1;
    Tensor xT = state.x().times(sigmaT / Clock.sigma(problem, k) * Math.exp(-eta * h))
        .plus(d0.times(-Math.expm1(-hEta) * alphaT));
    if (history.size() >= 2) {
      double r0 = (lambdaS - Clock.lambda(problem, k - 1)) / h;
      Tensor d10 = d0.minus(Clock.back(history, 1)).div(r0);
      Tensor corr = d10.times(phi2);
      if (history.size() == 3) {
        double r1 = (Clock.lambda(problem, k - 1) - Clock.lambda(problem, k - 2)) / h;
        Tensor d11 = Clock.back(history, 1).minus(Clock.back(history, 2)).div(r1);
        Tensor d1 = d10.plus(d10.minus(d11).times(r0 / (r0 + r1)));
        Tensor d2 = d10.minus(d11).div(r0 + r1);
        double phi3 = phi2 / hEta - 0.5;
        corr = d1.times(phi2).minus(d2.times(phi3));
      }
      xT = xT.plus(corr.times(alphaT));
    }
    if (eta > 0 && sNoise > 0) {
      double c = sigmaT * Math.sqrt(-Math.expm1(-2 * eta * h)) * sNoise;
      xT = xT.plus(problem.noise().gaussian(Clock.stream(k, 0), state.x()).times(c));
    }
    return state.next(xT, history, 1, 2);
  }
}
