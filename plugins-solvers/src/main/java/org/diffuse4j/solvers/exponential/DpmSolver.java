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
 * Singlestep DPM-Solver-1/2/3 with noise prediction (Lu et al. 2022, Algorithms 1 and 2, r₁ = ½
 * for order 2, r₁ = ⅓, r₂ = ⅔ for order 3). Between λ_s and λ_t = λ_s + h:
 * order 1 (= DDIM) x_t = (α_t/α_s) x_s − σ_t(e^h − 1) ε̂_s; orders 2–3 add intermediate stages at
 * λ_s + r h. k evaluations per step, global order k. A last step to σ = 0 is x = α·x̂0 (1 evaluation).
 * The ratios r are recomputed from λ at the stage times actually used, so that each stage is an
 * exact DDIM move (no drift from the round-off of {@code timeOfLambda}).
 */
public record DpmSolver(int order) implements Solver {

  public DpmSolver {
    if (order < 1 || order > 3) {
      throw new IllegalArgumentException("dpm-solver order must be 1, 2 or 3, got " + order);
    }
  }

  @Override
  public SolverTraits traits() {
    return new SolverTraits(order, order, false, 0);
  }

  /** One call on a last step to σ = 0. */
  @Override
  public int evaluations(double[] times, Schedule schedule) {
    return LastStepToData.evaluations(this, times, schedule);
  }

  @Override
  public SolverState init(SamplingProblem problem) {
    Clock.requireFiniteStart(problem, "dpm-solver");
    return Solver.super.init(problem);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    Tensor x = state.x();
    Prediction p0 = problem.predict(x, k);
    if (Clock.endsAtData(problem, k)) {
      return state.next(p0.x0().times(Clock.alpha(problem, k + 1)), 1);
    }
    Tensor eps = p0.eps();
    double lambdaS = Clock.lambda(problem, k);
    double h = Clock.lambda(problem, k + 1) - lambdaS;
    double tT = problem.t(k + 1);
    Tensor xT;
    if (order == 1) {
      xT = firstOrder(problem, x, eps, k, tT, h);
    } else if (order == 2) {
      double s1 = Clock.timeOfLambda(problem, lambdaS + 0.5 * h);
      double r1 = (problem.schedule().lambda(s1) - lambdaS) / h;
      Tensor u1 = firstOrder(problem, x, eps, k, s1, r1 * h);
      Tensor d1 = problem.predictAt(u1, s1).eps().minus(eps);
      xT = firstOrder(problem, x, eps, k, tT, h)
          .minus(d1.times(problem.schedule().sigma(tT) / (2 * r1) * Math.expm1(h)));
    } else {
      double s1 = Clock.timeOfLambda(problem, lambdaS + h / 3);
      double s2 = Clock.timeOfLambda(problem, lambdaS + 2 * h / 3);
      double r1 = (problem.schedule().lambda(s1) - lambdaS) / h;
      double r2 = (problem.schedule().lambda(s2) - lambdaS) / h;
      Tensor u1 = firstOrder(problem, x, eps, k, s1, r1 * h);
      Tensor d1 = problem.predictAt(u1, s1).eps().minus(eps);
      Tensor u2 = firstOrder(problem, x, eps, k, s2, r2 * h)
          .minus(d1.times(problem.schedule().sigma(s2) * r2 / r1 * (Math.expm1(r2 * h) / (r2 * h) - 1)));
      Tensor d2 = problem.predictAt(u2, s2).eps().minus(eps);
      xT = firstOrder(problem, x, eps, k, tT, h)
          .minus(d2.times(problem.schedule().sigma(tT) / r2 * (Math.expm1(h) / h - 1)));
    }
    return state.next(xT, order);
  }

  /** DPM-Solver-1 from grid time k to time t, λ(t) − λ_k = h: (α_t/α_s) x − σ_t (e^h − 1) ε̂. */
  private static Tensor firstOrder(SamplingProblem p, Tensor x, Tensor eps, int k, double t, double h) {
    double alphaS = Clock.alpha(p, k);
    return x.times(p.schedule().alpha(t) / alphaS).minus(eps.times(p.schedule().sigma(t) * Math.expm1(h)));
  }
}
