package org.diffuse4j.api;

/**
 * What a solver declares: its global order of convergence (warm-up steps included), model
 * evaluations per step, whether it injects noise, and how many past model outputs it keeps. The
 * conformance kit checks the order and evaluation count empirically.
 *
 * @param order global order of accuracy the method achieves on a smooth problem
 * @param evaluationsPerStep model evaluations (calls of the {@link Denoiser}) per step
 * @param stochastic whether the solver draws noise from the {@link NoiseSource}
 * @param history number of past model outputs kept in the state (0 for single-step methods)
 * @param eagerOnly whether the solver reads tensor values between steps (adaptive step control), so
 *     it runs only on an eager backend, not in the graph {@code run} and {@code sample} build
 */
public record SolverTraits(double order, int evaluationsPerStep, boolean stochastic, int history, boolean eagerOnly) {

  /**
   * Traits of a solver that runs on any backend.
   *
   * @param order global order of accuracy, &gt; 0
   * @param evaluationsPerStep model evaluations per step, &gt;= 1
   * @param stochastic whether the solver draws noise
   * @param history number of past model outputs kept in the state, &gt;= 0
   */
  public SolverTraits(double order, int evaluationsPerStep, boolean stochastic, int history) {
    this(order, evaluationsPerStep, stochastic, history, false);
  }

  /**
   * Checks order &gt; 0, evaluations per step &gt;= 1 and history &gt;= 0.
   *
   * @param order global order of accuracy, &gt; 0
   * @param evaluationsPerStep model evaluations per step, &gt;= 1
   * @param stochastic whether the solver draws noise
   * @param history number of past model outputs kept in the state, &gt;= 0
   * @param eagerOnly whether the solver runs only on an eager backend
   * @throws IllegalArgumentException if a bound above is violated
   */
  public SolverTraits {
    if (order <= 0 || evaluationsPerStep < 1 || history < 0) {
      throw new IllegalArgumentException("invalid solver traits " + order + "/" + evaluationsPerStep + "/" + history);
    }
  }
}
