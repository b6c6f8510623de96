package org.diffuse4j.schedules;

import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TimeGrid;

/**
 * Times uniform in √t, t_k = (√t_max + (√t_min − √t_max)·k/N)², denser near the data (Song et al.
 * 2021, DDIM "quad" skip; Lu et al. 2022, DPM-Solver "time_quadratic").
 */
public record QuadraticGrid(GridBounds bounds) implements TimeGrid {

  @Override
  public double[] times(Schedule schedule, int steps) {
    double hi = bounds.start(schedule);
    double lo = bounds.end(schedule);
    double a = Math.sqrt(hi);
    double b = Math.sqrt(lo);
    return bounds.layout("quadratic", steps, hi, lo, u -> {
      double r = a + u * (b - a);
      return r * r;
    });
  }
}
