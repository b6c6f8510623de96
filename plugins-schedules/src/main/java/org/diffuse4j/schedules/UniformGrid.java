package org.diffuse4j.schedules;

import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TimeGrid;

/**
 * Times uniform in t from t_max to t_min: t_k = t_max + (t_min − t_max)·k/N. Bounds default to the
 * schedule's own usable range when not given (negative values mean "the schedule's").
 */
public record UniformGrid(double tMax, double tMin) implements TimeGrid {

  @Override
  public double[] times(Schedule schedule, int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    double hi = tMax < 0 ? schedule.tMax() : tMax;
    double lo = tMin < 0 ? schedule.tMin() : tMin;
    if (!(hi > lo)) {
      throw new IllegalArgumentException("uniform grid needs t_max > t_min, got " + hi + " <= " + lo);
    }
    double[] t = new double[steps + 1];
    for (int k = 0; k <= steps; k++) {
      t[k] = hi + (lo - hi) * k / steps;
    }
    t[steps] = lo;
    return t;
  }
}
