package org.diffuse4j.solvers;

import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Any explicit Runge–Kutta method (a {@link ButcherTableau}) on the probability-flow ODE
 * dx/dt = v(x, t) = α̇ x̂0 + σ̇ ε̂ (Song et al. 2021, eq. 13; seed 003 eq. 34), over the grid:
 * h = t[k+1] − t[k] &lt; 0, k_i = v(x + h Σ a_ij k_j, t + c_i h), x' = x + h Σ b_i k_i.
 *
 * <p>A step that ends where σ = 0 (data) takes a single Euler step instead, as EDM Algorithm 1
 * does: the velocity needs ε̂ = (x − α x̂0)/σ, undefined at σ = 0, and the Euler hop to σ = 0 is
 * exactly the Tweedie read-out x̂0 under rectified flow. Such a run costs
 * {@link #evaluations(double[], Schedule)} calls; {@link #evaluations(int)} counts grids that end at σ &gt; 0.
 */
public record RungeKutta(ButcherTableau tableau) implements Solver {

  @Override
  public SolverTraits traits() {
    return new SolverTraits(tableau.order(), tableau.stagesForStep(), false, 0);
  }

  /** Calls for a run over {@code times}, counting the Euler fallback on a final step to σ = 0. */
  @Override
  public int evaluations(double[] times, Schedule schedule) {
    return LastStepToData.evaluations(this, times, schedule);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    double t = problem.t(k);
    double h = problem.t(k + 1) - t;
    Tensor x = state.x();
    boolean toData = problem.schedule().sigma(problem.t(k + 1)) == 0;
    int stages = toData ? 1 : tableau.stagesForStep();
    ButcherTableau tab = toData ? ButcherTableau.EULER : tableau;
    List<Tensor> slopes = new ArrayList<>();
    for (int i = 0; i < stages; i++) {
      Tensor xi = x;
      for (int j = 0; j < i; j++) {
        if (tab.a(i, j) != 0) {
          xi = xi.plus(slopes.get(j).times(h * tab.a(i, j)));
        }
      }
      slopes.add(problem.predictAt(xi, t + tab.c(i) * h).velocity());
    }
    Tensor next = x;
    for (int i = 0; i < stages; i++) {
      if (tab.b(i) != 0) {
        next = next.plus(slopes.get(i).times(h * tab.b(i)));
      }
    }
    return state.next(next, stages);
  }
}
