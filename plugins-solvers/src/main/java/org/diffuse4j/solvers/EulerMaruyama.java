package org.diffuse4j.solvers;

import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Euler–Maruyama on the reverse-time SDE dx = [f x − g² ∇log q_t(x)] dt + g dW̄ (Anderson 1982;
 * Song et al. 2021, eq. 6; seed 003 eq. 35): with h = t[k+1] − t[k] &lt; 0,
 * x' = x + h (f x − g² s) + √(g² |h|) ξ. Weak order 1, one model call per step.
 */
public record EulerMaruyama() implements Solver {

  @Override
  public SolverTraits traits() {
    return new SolverTraits(1, 1, true, 0);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    Schedule sch = problem.schedule();
    double t = problem.t(k);
    double h = problem.t(k + 1) - t;
    Tensor x = state.x();
    Prediction p = problem.predict(x, k);
    Tensor drift = x.times(sch.f(t)).minus(p.score().times(sch.g2(t)));
    Tensor noise = NoiseStreams.gaussian(problem, k, 0, x);
    return state.next(x.plus(drift.times(h)).plus(noise.times(Math.sqrt(sch.g2(t) * -h))), 1);
  }
}
