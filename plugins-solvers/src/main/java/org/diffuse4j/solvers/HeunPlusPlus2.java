package org.diffuse4j.solvers;

import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Heun++ 2 as ComfyUI writes it ({@code sample_heunpp2}, after the sd-webui-samplers-scheduler
 * extension), in the chart y = x/α, σ̂ = σ/α where dy/dσ̂ = ε̂. From σ̂_k with Δ = σ̂_{k+1} − σ̂_k:
 * d₁ = ε̂(y, σ̂_k), y₂ = y + Δ d₁, d₂ = ε̂(y₂, σ̂_{k+1}), y₃ = y₂ + (σ̂_{k+2} − σ̂_{k+1}) d₂,
 * d₃ = ε̂(y₃, σ̂_{k+2}); y' = y + Δ (w₁d₁ + w₂d₂ + w₃d₃) with w₂ = σ̂_{k+1}/(3σ̂₀),
 * w₃ = σ̂_{k+2}/(3σ̂₀), w₁ = 1 − w₂ − w₃ (σ̂₀ the grid's first). The step before the last is Heun
 * with w₂ = σ̂_{k+1}/(2σ̂₀), the last step Euler. The weights sum to 1 but do not satisfy the
 * second-order condition, so the method is order 1 (3 calls per step; 3N − 3 over N ≥ 2 steps).
 * ComfyUI's churn ({@link Churn}: s_churn, s_tmin, s_tmax, s_noise; default none) first raises σ̂_k
 * to σ̂_hat; the first slope is then taken there and Δ = σ̂_{k+1} − σ̂_hat (the weights keep σ̂₀, the
 * grid's first). With churn the sampler is stochastic (weak order 1).
 *
 * @param sChurn total churn S_churn ≥ 0 (0 = deterministic)
 * @param sTmin lowest σ̂ that is churned
 * @param sTmax highest σ̂ that is churned
 * @param sNoise noise inflation S_noise
 */
public record HeunPlusPlus2(double sChurn, double sTmin, double sTmax, double sNoise) implements Solver {

  /** Without churn (ComfyUI's defaults). */
  public HeunPlusPlus2() {
    this(0, 0, Double.POSITIVE_INFINITY, 1);
  }

  public HeunPlusPlus2 {
    new Churn("heunpp2", sChurn, sTmin, sTmax, sNoise);
  }

  @Override
  public SolverTraits traits() {
    return new SolverTraits(1, 3, sChurn > 0, 0);
  }

  /** 3 calls per step, 2 on the step before the last, 1 on the last. */
  @Override
  public int evaluations(int steps) {
    return steps == 1 ? 1 : 3 * steps - 3;
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    int last = problem.steps();
    Schedule sch = problem.schedule();
    double t = problem.t(k);
    double t1 = problem.t(k + 1);
    double s0 = sch.sigmaOverAlpha(problem.t(0));
    double s = sch.sigmaOverAlpha(t);
    double s1 = sch.sigmaOverAlpha(t1);
    Churn.Raised r = new Churn("heunpp2", sChurn, sTmin, sTmax, sNoise).raise(problem, k, state.x().div(sch.alpha(t)), s);
    Tensor y = r.y();
    double dt = s1 - r.sigma();
    Tensor d = r.churned() ? problem.predictAt(y.times(sch.alpha(r.t())), r.t()).eps() : problem.predict(state.x(), k).eps();
    Tensor slope;
    int calls;
    if (k + 1 == last) {
      slope = d;
      calls = 1;
    } else {
      Tensor y2 = y.plus(d.times(dt));
      Tensor d2 = problem.predict(y2.times(sch.alpha(t1)), k + 1).eps();
      if (k + 2 == last) {
        double w2 = s1 / (2 * s0);
        slope = d.times(1 - w2).plus(d2.times(w2));
        calls = 2;
      } else {
        double t2 = problem.t(k + 2);
        double s2 = sch.sigmaOverAlpha(t2);
        Tensor y3 = y2.plus(d2.times(s2 - s1));
        Tensor d3 = problem.predict(y3.times(sch.alpha(t2)), k + 2).eps();
        double w2 = s1 / (3 * s0);
        double w3 = s2 / (3 * s0);
        slope = d.times(1 - w2 - w3).plus(d2.times(w2)).plus(d3.times(w3));
        calls = 3;
      }
    }
    return state.next(y.plus(slope.times(dt)).times(sch.alpha(t1)), calls);
  }
}
