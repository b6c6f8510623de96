package org.diffuse4j.solvers.exponential;

import org.diffuse4j.api.Schedule;

/** Test grid: times uniform in λ between the schedule's tMax and tMin (DPM-Solver's "logSNR" spacing). */
final class LambdaGrid {
  private LambdaGrid() {}

  static double[] times(Schedule s, int steps) {
    double l0 = s.lambda(s.tMax());
    double l1 = s.lambda(s.tMin());
    double[] t = new double[steps + 1];
    for (int k = 0; k <= steps; k++) {
      t[k] = k == 0 ? s.tMax() : k == steps ? s.tMin() : s.timeOfLambda(l0 + (l1 - l0) * k / steps);
    }
    return t;
  }
}
