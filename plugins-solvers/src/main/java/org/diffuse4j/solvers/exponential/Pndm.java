package org.diffuse4j.solvers.exponential;

import java.util.List;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Pseudo numerical methods (Liu et al. 2022, PNDM, eq. 9–13): the "gradient part" ε' is a fixed
 * Adams–Bashforth combination of past ε̂, (55ε̂_k − 59ε̂_{k−1} + 37ε̂_{k−2} − 9ε̂_{k−3})/24, and
 * the "transfer part" is the DDIM step x_t = α_t(x_s/α_s + (ρ_t − ρ_s) ε'). The coefficients
 * assume steps equal in the grid index; the warm-up differs by name:
 * <ul>
 *   <li>{@code pndm} (F-PNDM): 3 pseudo-Runge–Kutta steps (4 evaluations each, eq. 13), then AB4.
 *       The half step is taken at the midpoint of the DDIM clock ρ (the paper's t − δ/2 is a
 *       discrete index), which makes the pseudo-RK step classical RK4 on dy/dρ = ε̂;
 *   <li>{@code plms} (S-PNDM, as in LDM's PLMS): a pseudo improved-Euler first step (2
 *       evaluations), then AB2, AB3, AB4;
 *   <li>{@code ipndm} (Zhang &amp; Chen 2023, App. "iPNDM"): AB1, AB2, AB3, then AB4; 1 evaluation
 *       per step.
 * </ul>
 * With {@code lower_order_final}, the Adams–Bashforth steps of a run shorter than 10 steps end with
 * AB(N − k) ({@link LowerOrderFinal}). History 3. Declared order 2 (the fixed coefficients are exact only on grids uniform in ρ).
 */
public record Pndm(Warmup warmup, LowerOrderFinal lowerOrderFinal) implements Solver {

  /** With the default {@code lower_order_final} rule. */
  public Pndm(Warmup warmup) {
    this(warmup, LowerOrderFinal.BELOW_10);
  }

  /** How the first steps are taken. */
  public enum Warmup {
    RUNGE_KUTTA,
    IMPROVED_EULER,
    ADAMS
  }

  private static final double[][] AB = {
    {1},
    {3.0 / 2, -1.0 / 2},
    {23.0 / 12, -16.0 / 12, 5.0 / 12},
    {55.0 / 24, -59.0 / 24, 37.0 / 24, -9.0 / 24}
  };

  @Override
  public SolverTraits traits() {
    return new SolverTraits(2, 1, false, 3);
  }

  @Override
  public int evaluations(int steps) {
    return switch (warmup) {
      case RUNGE_KUTTA -> 4 * Math.min(3, steps) + Math.max(0, steps - 3);
      case IMPROVED_EULER -> steps + 1;
      case ADAMS -> steps;
    };
  }

  @Override
  public SolverState init(SamplingProblem problem) {
    Clock.requireFiniteStart(problem, switch (warmup) {
      case RUNGE_KUTTA -> "pndm";
      case IMPROVED_EULER -> "plms";
      case ADAMS -> "ipndm";
    });
    return Solver.super.init(problem);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    Tensor x = state.x();
    double s = problem.t(k);
    double t = problem.t(k + 1);
    Tensor e = problem.predict(x, k).eps();
    List<Tensor> history = Clock.append(state.history(), e);
    if (warmup == Warmup.RUNGE_KUTTA && k < 3) {
      double mid = Clock.timeOfLambda(problem, -Math.log(0.5 * (Clock.rho(problem, k) + Clock.rho(problem, k + 1))));
      Tensor e2 = problem.predictAt(transfer(problem, x, e, s, mid), mid).eps();
      Tensor e3 = problem.predictAt(transfer(problem, x, e2, s, mid), mid).eps();
      Tensor e4 = problem.predictAt(transfer(problem, x, e3, s, t), t).eps();
      Tensor prime = e.plus(e2.times(2)).plus(e3.times(2)).plus(e4).div(6);
      return state.next(transfer(problem, x, prime, s, t), history, 4, 3);
    }
    if (warmup == Warmup.IMPROVED_EULER && k == 0) {
      Tensor e2 = problem.predictAt(transfer(problem, x, e, s, t), t).eps();
      return state.next(transfer(problem, x, e.plus(e2).times(0.5), s, t), history, 2, 3);
    }
    double[] c = AB[lowerOrderFinal.cap(Math.min(4, history.size()), k, problem.steps()) - 1];
    return state.next(transfer(problem, x, Clock.combineNewestFirst(history, c), s, t), history, 1, 3);
  }

  /** The DDIM transfer φ(x, ε, s → t) = α_t(x/α_s + (ρ_t − ρ_s) ε). */
  private static Tensor transfer(SamplingProblem p, Tensor x, Tensor eps, double s, double t) {
    var sch = p.schedule();
    double rhoS = sch.sigma(s) / sch.alpha(s);
    double rhoT = sch.sigma(t) / sch.alpha(t);
    return x.div(sch.alpha(s)).plus(eps.times(rhoT - rhoS)).times(sch.alpha(t));
  }
}
