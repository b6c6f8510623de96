package org.diffuse4j.api;

import java.util.List;
import org.diffuse4j.api.tensor.Tensor;

/**
 * The explicit state between solver steps: grid index k (x is at time t[k]), the current x, the
 * model outputs a multistep method keeps (newest last), and model evaluations spent so far.
 * Immutable: {@link Solver#step} returns a new state.
 */
public record SolverState(int k, Tensor x, List<Tensor> history, int nfe) {

  /** Copies the history. */
  public SolverState {
    history = List.copyOf(history);
  }

  /** The state at grid index 0 before any step. */
  public static SolverState start(Tensor x) {
    return new SolverState(0, x, List.of(), 0);
  }

  /** The next state: index k+1, new x, history trimmed to {@code keep} newest entries. */
  public SolverState next(Tensor newX, List<Tensor> newHistory, int evaluations, int keep) {
    List<Tensor> h = newHistory.size() > keep ? newHistory.subList(newHistory.size() - keep, newHistory.size()) : newHistory;
    return new SolverState(k + 1, newX, h, nfe + evaluations);
  }

  /** The next state of a single-step method. */
  public SolverState next(Tensor newX, int evaluations) {
    return new SolverState(k + 1, newX, List.of(), nfe + evaluations);
  }

  /** Whether the solver has reached the last grid point. */
  public boolean done(SamplingProblem problem) {
    return k >= problem.steps();
  }
}
