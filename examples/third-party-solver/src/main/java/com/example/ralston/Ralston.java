package com.example.ralston;

import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Ralston's second-order Runge–Kutta method (Ralston 1962) on the probability-flow ODE
 * dx/dt = v(x, t): k1 = v(x, t), k2 = v(x + (2/3)h k1, t + (2/3)h), x' = x + h(k1/4 + 3k2/4).
 * Among two-stage methods it minimises the local truncation error bound.
 */
public record Ralston() implements Solver {

  @Override
  public SolverTraits traits() {
    return new SolverTraits(2, 2, false, 0);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    double t = problem.t(k);
    double h = problem.t(k + 1) - t;
    Tensor x = state.x();
    Tensor k1 = problem.predict(x, k).velocity();
    Tensor k2 = problem.predictAt(x.plus(k1.times(2.0 / 3.0 * h)), t + 2.0 / 3.0 * h).velocity();
    return state.next(x.plus(k1.times(0.25 * h)).plus(k2.times(0.75 * h)), 2);
  }
}
