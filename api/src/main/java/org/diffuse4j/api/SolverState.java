package org.diffuse4j.api;

import java.util.List;
import org.diffuse4j.api.tensor.Tensor;

/**
 * The explicit state between solver steps: grid index k (x is at time t[k]), the current x, the
 * model outputs a multistep method keeps (newest last), and model evaluations spent so far.
 * Immutable: {@link Solver#step} returns a new state.
 *
 * @param k the grid index of the current time, 0 … {@link SamplingProblem#steps()}
 * @param x the current state at time t[k], shape [B, …]
 * @param history the model outputs a multistep method keeps, oldest first, newest last
 * @param nfe the number of model evaluations spent so far
 */
public record SolverState(int k, Tensor x, List<Tensor> history, int nfe) {

  /**
   * Copies the history.
   *
   * @param k the grid index of the current time
   * @param x the current state at time t[k], shape [B, …]
   * @param history the kept model outputs, newest last; copied into an unmodifiable list
   * @param nfe the number of model evaluations spent so far
   */
  public SolverState {
    history = List.copyOf(history);
  }

  /**
   * The state at grid index 0 before any step.
   *
   * @param x the initial state at {@code times[0]}, shape [B, …]
   * @return the state (k = 0, x, no history, 0 evaluations)
   */
  public static SolverState start(Tensor x) {
    return new SolverState(0, x, List.of(), 0);
  }

  /**
   * The next state: index k+1, new x, history trimmed to {@code keep} newest entries.
   *
   * @param newX the state at time t[k + 1], shape [B, …]
   * @param newHistory the model outputs after this step, newest last
   * @param evaluations the model evaluations this step spent
   * @param keep the number of newest history entries to keep, &gt;= 0
   * @return the state at index k + 1 with nfe increased by {@code evaluations}
   */
  public SolverState next(Tensor newX, List<Tensor> newHistory, int evaluations, int keep) {
    List<Tensor> h = newHistory.size() > keep ? newHistory.subList(newHistory.size() - keep, newHistory.size()) : newHistory;
    return new SolverState(k + 1, newX, h, nfe + evaluations);
  }

  /**
   * The next state of a single-step method.
   *
   * @param newX the state at time t[k + 1], shape [B, …]
   * @param evaluations the model evaluations this step spent
   * @return the state at index k + 1, no history, nfe increased by {@code evaluations}
   */
  public SolverState next(Tensor newX, int evaluations) {
    return new SolverState(k + 1, newX, List.of(), nfe + evaluations);
  }

  /**
   * Whether the solver has reached the last grid point.
   *
   * @param problem the problem being solved
   * @return true once k &gt;= {@code problem.steps()}
   */
  public boolean done(SamplingProblem problem) {
    return k >= problem.steps();
  }
}
