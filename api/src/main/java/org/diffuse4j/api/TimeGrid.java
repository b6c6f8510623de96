package org.diffuse4j.api;

/**
 * Turns a schedule and a step count into the descending times a solver visits: an array of
 * {@code steps + 1} values from the start time (near 1, noise) to the end time (near 0, data).
 * Grid and solver are independent: any solver runs on any grid.
 */
public interface TimeGrid {

  /**
   * The {@code steps + 1} visited times, strictly decreasing.
   *
   * @param schedule the schedule whose [tMin, tMax] (and, for some grids, λ or σ/α) the grid follows
   * @param steps the number of solver steps, &gt;= 1
   * @return {@code steps + 1} strictly decreasing times, from the start (noise) to the end (data)
   */
  double[] times(Schedule schedule, int steps);
}
