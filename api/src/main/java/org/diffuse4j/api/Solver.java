package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * An ODE/SDE sampler in the diffrax shape: an immutable solver plus an explicit {@link SolverState}.
 * {@code init} builds the state at the grid's first time; each {@code step} advances one grid
 * interval from t[k] to t[k+1]. Solvers ask the {@link Prediction} for the target they need and
 * draw noise only from the problem's {@link NoiseSource} (stream k + 1 at step k).
 */
public interface Solver {

  /**
   * Declared order, evaluations per step, stochasticity and history.
   *
   * @return this solver's traits
   */
  SolverTraits traits();

  /**
   * The state before the first step; by default x at {@code times[0]} with no history.
   *
   * @param problem the problem to solve
   * @return the state at grid index 0
   */
  default SolverState init(SamplingProblem problem) {
    return SolverState.start(problem.xInit());
  }

  /**
   * One step from t[state.k] to t[state.k + 1]. Must not mutate anything.
   *
   * @param problem the problem being solved
   * @param state the state at grid index k &lt; {@code problem.steps()}
   * @return the state at grid index k + 1
   */
  SolverState step(SamplingProblem problem, SolverState state);

  /**
   * Model evaluations for a whole run of {@code steps} steps (override when steps differ, e.g. Heun's last).
   *
   * @param steps the number of grid intervals, &gt;= 1
   * @return the number of model evaluations (NFE) of the run
   */
  default int evaluations(int steps) {
    return steps * traits().evaluationsPerStep();
  }

  /**
   * Model evaluations for a run over {@code times}; the default is {@link #evaluations(int)}.
   * Override when the grid changes the count (e.g. a last step to σ = 0 taken with one call).
   *
   * @param times the decreasing time grid
   * @param schedule the schedule the grid's times refer to
   * @return the number of model evaluations (NFE) of the run
   */
  default int evaluations(double[] times, Schedule schedule) {
    return evaluations(times.length - 1);
  }

  /**
   * Runs every step and returns the final state. After each step the problem's model is replaced by
   * {@code model.next()} (see {@link Denoiser#next()}); steps themselves stay pure functions of
   * (problem, state). A solver overriding this loop must do the same.
   *
   * @param problem the problem to solve
   * @return the state at the last grid point
   */
  default SolverState solve(SamplingProblem problem) {
    SolverState s = init(problem);
    while (!s.done(problem)) {
      s = step(problem, s);
      problem = problem.withModel(problem.model().next());
    }
    return s;
  }

  /**
   * Convenience: the final x.
   *
   * @param problem the problem to solve
   * @return x at the last grid time, shape of {@code problem.xInit()}
   */
  default Tensor sample(SamplingProblem problem) {
    return solve(problem).x();
  }
}
