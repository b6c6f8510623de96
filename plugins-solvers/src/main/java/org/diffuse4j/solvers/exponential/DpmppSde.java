package org.diffuse4j.solvers.exponential;

import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.solvers.LastStepToData;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * DPM-Solver++ SDE, singlestep with r = ½ (k-diffusion's {@code sample_dpmpp_sde}; Lu et al. 2022b
 * with ancestral noise): in y = x/α, ρ = σ/α each of the two sub-steps (to the λ-midpoint, then to
 * λ_t) is an ancestral split ρ_to² = ρ_down² + ρ_up², ρ_up = min(ρ_to, η ρ_to √(1 − ρ_to²/ρ_from²)),
 * a DPM-Solver++(1) move to ρ_down with the data estimate, plus ρ_up ξ. The second move uses
 * x̂0 at the noised midpoint. 2 evaluations per step, weak order 1. Noise: two independent
 * draws per step (streams k + 1 and k + 1 + 2³²) instead of k-diffusion's Brownian tree.
 * A last step to σ = 0 is x = α·x̂0.
 */
public record DpmppSde(double eta) implements Solver {

  public DpmppSde {
    if (!(eta >= 0) || eta > 1) {
      throw new IllegalArgumentException("dpmpp-sde needs 0 <= eta <= 1, got eta=" + eta);
    }
  }

  @Override
  public SolverTraits traits() {
    return new SolverTraits(1, 2, eta > 0, 0);
  }

  /** One call on a last step to σ = 0. */
  @Override
  public int evaluations(double[] times, Schedule schedule) {
    return LastStepToData.evaluations(this, times, schedule);
  }

  @Override
  public SolverState init(SamplingProblem problem) {
    Clock.requireFiniteStart(problem, "dpmpp-sde");
    return Solver.super.init(problem);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    Prediction p0 = problem.predict(state.x(), k);
    double alphaT = Clock.alpha(problem, k + 1);
    if (Clock.endsAtData(problem, k)) {
      return state.next(p0.x0().times(alphaT), 1);
    }
    double lambdaS = Clock.lambda(problem, k);
    double tM = Clock.timeOfLambda(problem, 0.5 * (lambdaS + Clock.lambda(problem, k + 1)));
    double lambdaM = problem.schedule().lambda(tM);
    double rhoS = Clock.rho(problem, k);
    Tensor y = state.x().div(Clock.alpha(problem, k));
    Tensor yM = ancestral(problem, y, p0.x0(), rhoS, Math.exp(-lambdaM), k, 0);
    double alphaM = problem.schedule().alpha(tM);
    Tensor x0M = problem.predictAt(yM.times(alphaM), tM).x0();
    Tensor yT = ancestral(problem, y, x0M, rhoS, Clock.rho(problem, k + 1), k, 1);
    return state.next(yT.times(alphaT), 2);
  }

  /** One ancestral DPM-Solver++(1) move of y from ρ_from to ρ_to with data estimate d. */
  private Tensor ancestral(SamplingProblem p, Tensor y, Tensor d, double from, double to, int k, int draw) {
    double up = Math.min(to, eta * to * Math.sqrt(Math.max(0, 1 - to * to / (from * from))));
    double down = Math.sqrt(to * to - up * up);
    Tensor moved = y.times(down / from).plus(d.times(1 - down / from));
    return up > 0 ? moved.plus(p.noise().gaussian(Clock.stream(k, draw), y).times(up)) : moved;
  }
}
