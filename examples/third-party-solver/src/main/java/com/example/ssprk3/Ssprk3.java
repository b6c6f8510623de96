package com.example.ssprk3;

import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Shu–Osher strong-stability-preserving Runge–Kutta of order 3 (Shu &amp; Osher 1988) on the
 * probability-flow ODE dx/dt = v(x, t): k1 = v(x, t), k2 = v(x + h k1, t + h),
 * k3 = v(x + h(k1 + k2)/4, t + h/2), x' = x + h(k1 + k2 + 4 k3)/6.
 */
public record Ssprk3() implements Solver {

  @Override
  public SolverTraits traits() {
    return new SolverTraits(3, 3, false, 0);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    double t = problem.t(k);
    double h = problem.t(k + 1) - t;
    Tensor x = state.x();
    Tensor k1 = problem.predict(x, k).velocity();
    Tensor k2 = problem.predict(x.plus(k1.times(h)), k + 1).velocity();
    Tensor k3 = problem.predictAt(x.plus(k1.plus(k2).times(h / 4)), t + h / 2).velocity();
    return state.next(x.plus(k1.plus(k2).plus(k3.times(4)).times(h / 6)), 3);
  }
}
