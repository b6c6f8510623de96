package org.diffuse4j.solvers;

import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;

/**
 * The evaluation count of solvers whose last step to data (σ = 0) takes one model call instead of
 * {@code evaluationsPerStep} (EDM Algorithm 1's Euler step, the λ-clock methods' x = α·x̂0 read-out).
 */
public final class LastStepToData {
  private LastStepToData() {}

  /** {@code solver.evaluations(steps)}, less the calls a last step to σ = 0 saves. */
  public static int evaluations(Solver solver, double[] times, Schedule schedule) {
    int steps = times.length - 1;
    boolean toData = schedule.sigma(times[steps]) == 0;
    return solver.evaluations(steps) - (toData ? solver.traits().evaluationsPerStep() - 1 : 0);
  }
}
