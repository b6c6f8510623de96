package org.diffuse4j.schedules;

import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TimeGrid;

/**
 * Times uniform in t from the start to the end of {@link GridBounds}: t_k = t_max + (t_min − t_max)·k/N
 * (Ho et al. 2020; Song et al. 2021). Bounds default to the schedule's own usable range.
 */
public record UniformGrid(GridBounds bounds) implements TimeGrid {

  /** From t_max to t_min; negative values mean the schedule's own; no final step to 0. */
  public UniformGrid(double tMax, double tMin) {
    this(GridBounds.ofTimes(tMax, tMin, false));
  }

  @Override
  public double[] times(Schedule schedule, int steps) {
    double hi = bounds.start(schedule);
    double lo = bounds.end(schedule);
    return bounds.layout("uniform", steps, hi, lo, u -> hi + (lo - hi) * u);
  }
}
