package org.diffuse4j.solvers.exponential;

import java.util.List;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Multistep DPM-Solver / DPM-Solver++ in the divided-difference form of the reference codes (Lu et
 * al. 2022b, §4 and App. B): with z = h (noise) or −h (data), κ = σ or α, φ̃₂ = (e^z − 1)/z − 1,
 * φ̃₃ = φ̃₂/z − ½, r₀ = h₋₁/h, r₁ = h₋₂/h, D₁₀ = (m₀ − m₋₁)/r₀, D₁₁ = (m₋₁ − m₋₂)/r₁:
 * order 2: x_t = DDIM − κ_t (e^z − 1)/2 · D₁₀ ({@code dpmsolver}) or − κ_t φ̃₂ D₁₀ ({@code taylor},
 * the exact integral of the linear interpolant); order 3: D₁ = D₁₀ + r₀(D₁₀ − D₁₁)/(r₀ + r₁),
 * D₂ = (D₁₀ − D₁₁)/(r₀ + r₁), x_t = DDIM − κ_t(φ̃₂ D₁ + c φ̃₃ D₂). The exact integral of the
 * quadratic in λ has c = 2 (D₂ ≈ h²f''/2); the reference codes use c = 1 ({@code halved}), which
 * makes their 3M second order (measured 2.06 on λ-uniform grids, docs/solvers.md). The first steps
 * use the history available; {@link LowerOrderFinal} lowers the last ones. 1 evaluation per step,
 * history order − 1. A last step to σ = 0 is α·x̂0.
 *
 * @param name plugin name, for messages
 * @param order 1, 2 or 3
 * @param dataPrediction DPM-Solver++ (x̂0) instead of DPM-Solver (ε̂)
 * @param taylor the Taylor form of the second-order step instead of DPM-Solver's
 * @param halved the reference codes' third-order coefficient (c = 1) instead of the exact c = 2
 * @param lowerOrderFinal the rule for the last steps
 */
public record DividedDifferenceMultistep(
    String name, int order, boolean dataPrediction, boolean taylor, boolean halved, LowerOrderFinal lowerOrderFinal)
    implements Solver {

  public DividedDifferenceMultistep {
    if (order < 1 || order > 3) {
      throw new IllegalArgumentException(name + " order must be 1, 2 or 3, got " + order);
    }
  }

  @Override
  public SolverTraits traits() {
    return new SolverTraits(order == 3 && halved ? 2 : order, 1, false, order - 1);
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
    int p = lowerOrderFinal.cap(Math.min(order, history.size()), k, problem.steps());
    double lambda0 = Clock.lambda(problem, k);
    double h = Clock.lambda(problem, k + 1) - lambda0;
    double z = dataPrediction ? -h : h;
    double kappa = dataPrediction ? Clock.alpha(problem, k + 1) : Clock.sigma(problem, k + 1);
    double c = dataPrediction
        ? Clock.sigma(problem, k + 1) / Clock.sigma(problem, k)
        : Clock.alpha(problem, k + 1) / Clock.alpha(problem, k);
    Tensor m0 = Clock.back(history, 0);
    Tensor xT = state.x().times(c).minus(m0.times(kappa * Math.expm1(z)));
    if (p >= 2) {
      double lambda1 = Clock.lambda(problem, k - 1);
      double r0 = (lambda0 - lambda1) / h;
      Tensor d10 = m0.minus(Clock.back(history, 1)).div(r0);
      double phi2 = z * Phi.phi(2, z);
      Tensor corr;
      if (p == 2) {
        corr = d10.times(taylor ? phi2 : Math.expm1(z) / 2);
      } else {
        double r1 = (lambda1 - Clock.lambda(problem, k - 2)) / h;
        Tensor d11 = Clock.back(history, 1).minus(Clock.back(history, 2)).div(r1);
        Tensor d1 = d10.plus(d10.minus(d11).times(r0 / (r0 + r1)));
        Tensor d2 = d10.minus(d11).div(r0 + r1);
        double phi3 = z * Phi.phi(3, z);
        corr = d1.times(phi2).plus(d2.times((halved ? 1 : 2) * phi3));
      }
      xT = xT.minus(corr.times(kappa));
    }
    return state.next(xT, history, 1, order - 1);
  }
}
