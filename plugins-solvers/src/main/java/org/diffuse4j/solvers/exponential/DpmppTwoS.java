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
 * DPM-Solver++(2S) (Lu et al. 2022b, Algorithm 1 with r = ½), data prediction, singlestep:
 * u = (σ_m/σ_s) x_s − α_m(e^{−h/2} − 1) x̂0_s at λ_m = λ_s + h/2, then
 * x_t = (σ_t/σ_s) x_s − α_t(e^{−h} − 1) x̂0(u, t_m) (for r = ½ the combination
 * (1 − 1/2r) x̂0_s + (1/2r) x̂0_m is x̂0_m). 2 evaluations per step, order 2.
 * A last step to σ = 0 is x = α·x̂0 (1 evaluation).
 */
public record DpmppTwoS() implements Solver {

  @Override
  public SolverTraits traits() {
    return new SolverTraits(2, 2, false, 0);
  }

  /** One call on a last step to σ = 0. */
  @Override
  public int evaluations(double[] times, Schedule schedule) {
    return LastStepToData.evaluations(this, times, schedule);
  }

  @Override
  public SolverState init(SamplingProblem problem) {
    Clock.requireFiniteStart(problem, "dpmpp-2s");
    return Solver.super.init(problem);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    Tensor x = state.x();
    Prediction p0 = problem.predict(x, k);
    double alphaT = Clock.alpha(problem, k + 1);
    if (Clock.endsAtData(problem, k)) {
      return state.next(p0.x0().times(alphaT), 1);
    }
    double lambdaS = Clock.lambda(problem, k);
    double h = Clock.lambda(problem, k + 1) - lambdaS;
    double sigmaS = Clock.sigma(problem, k);
    double tM = Clock.timeOfLambda(problem, lambdaS + h / 2);
    double hM = problem.schedule().lambda(tM) - lambdaS;
    Tensor u = x.times(problem.schedule().sigma(tM) / sigmaS)
        .minus(p0.x0().times(problem.schedule().alpha(tM) * Math.expm1(-hM)));
    Tensor d = problem.predictAt(u, tM).x0();
    Tensor xT = x.times(Clock.sigma(problem, k + 1) / sigmaS).minus(d.times(alphaT * Math.expm1(-h)));
    return state.next(xT, 2);
  }
}
