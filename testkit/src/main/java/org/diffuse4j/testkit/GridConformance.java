package org.diffuse4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TimeGrid;
import org.diffuse4j.schedules.EdmSchedule;

/**
 * The laws every {@link TimeGrid} keeps, on the kit's schedules (VP, rectified flow, EDM) and for
 * every step count in {@link #STEPS}: {@code steps + 1} finite points, strictly decreasing, inside
 * [tMin, tMax] of the schedule except a last point of exactly 0 (a final denoising step), and the
 * endpoints the grid declares ({@link Ends}); a grid that follows a published reference may declare
 * a {@link Deviation}. Each failure names the method to fix.
 */
public final class GridConformance {
  private GridConformance() {}

  /** Step counts of the checks: 1 to 12, and a few large ones. */
  public static final int[] STEPS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 25, 50, 100};

  /** The endpoints a grid declares: its first point, and its last one (the schedule's tMin, or a final 0). */
  public enum Ends {
    /** First point tMax, last point tMin of the schedule (uniform, log-SNR, Karras with defaults). */
    T_MAX_TO_T_MIN,
    /** First point at most tMax, last point exactly 0 (discrete timestep grids, {@code to_zero}). */
    TO_ZERO,
    /** First point at most tMax, last point in [tMin, tMax] (a table's own levels). */
    INSIDE
  }

  /** The EDM schedule of the checks (σ from 0.002 to 80, ρ = 7; its tMin is above 0). */
  public static Schedule edm() {
    return new EdmSchedule(0.002, 80, 7);
  }

  /** The schedules the grid is run on. */
  public static List<Schedule> schedules() {
    return List.of(SolverConformance.vp(), SolverConformance.rectifiedFlow(), edm());
  }

  /**
   * A departure from the {@link TimeGrid} contract that a grid declares because a published
   * reference makes it; each replaces one law by a weaker, still checked one, and is named in the report.
   */
  public enum Deviation {
    /**
     * The number of points is the reference's, not {@code steps + 1} (ComfyUI's ddim_uniform takes
     * every ⌊N/n⌋-th timestep, which can give more steps; its beta drops repeated timesteps): checked
     * is at least 2 points.
     */
    STEP_COUNT_OF_REFERENCE,
    /**
     * The points are training timesteps t = k/N of a discrete table whatever the schedule, so on a
     * schedule whose tMin is above them (EDM's 0.22) they leave [tMin, tMax]: checked is [0, tMax].
     */
    TRAINING_TIMESTEPS
  }

  /** Every law on every kit schedule and step count, with the declared ends and deviations. */
  public static void assertConforms(TimeGrid grid, Ends ends, Deviation... declared) {
    for (Schedule s : schedules()) {
      assertConforms(grid, s, ends, STEPS, declared);
    }
  }

  /** Every law on one schedule, at each of {@code steps} (a grid given as a list has one count). */
  public static void assertConforms(TimeGrid grid, Schedule s, Ends ends, int[] steps, Deviation... declared) {
    java.util.Set<Deviation> d = java.util.Set.of(declared);
    for (int n : steps) {
      double[] t = grid.times(s, n);
      assertShape(grid, s, n, t, d.contains(Deviation.STEP_COUNT_OF_REFERENCE));
      assertInside(grid, s, n, t, d.contains(Deviation.TRAINING_TIMESTEPS) ? 0.0 : s.tMin());
      assertEnds(grid, s, n, t, ends);
    }
  }

  /** {@code steps + 1} finite points (at least 2 when the count is the reference's), strictly decreasing. */
  static void assertShape(TimeGrid grid, Schedule s, int steps, double[] t, boolean countOfReference) {
    if (countOfReference) {
      assertThat(t.length).as("%s on %s: times(schedule, %d) must return at least 2 points; fix times(Schedule, int)",
          grid, s, steps).isGreaterThanOrEqualTo(2);
    } else {
      assertThat(t).as("%s on %s: times(schedule, %d) must return steps + 1 = %d points; fix times(Schedule, int)"
          + " (or declare Deviation.STEP_COUNT_OF_REFERENCE if a published reference gives another count)",
          grid, s, steps, steps + 1).hasSize(steps + 1);
    }
    for (int k = 0; k < t.length; k++) {
      assertThat(Double.isFinite(t[k])).as("%s on %s, %d steps: point %d is %s; times(Schedule, int) must return"
          + " finite times", grid, s, steps, k, t[k]).isTrue();
      if (k > 0) {
        assertThat(t[k]).as("%s on %s, %d steps: point %d (%s) must be below point %d (%s): times run from noise to"
            + " data, strictly decreasing (no repeated point); fix times(Schedule, int)", grid, s, steps, k, t[k], k - 1,
            t[k - 1]).isLessThan(t[k - 1]);
      }
    }
  }

  /** Every point in [lowest, tMax] (lowest = tMin unless declared); only the last may be exactly 0. */
  static void assertInside(TimeGrid grid, Schedule s, int steps, double[] t, double lowest) {
    int last = t.length - 1;
    for (int k = 0; k <= last; k++) {
      if (k == last && t[k] == 0.0) {
        continue;
      }
      assertThat(t[k]).as("%s on %s, %d steps: point %d (%s) must lie in the schedule's [tMin, tMax] = [%s, %s]"
          + " (only the last point may be exactly 0, a final denoising step); clamp in times(Schedule, int) to"
          + " schedule.tMin()/tMax()", grid, s, steps, k, t[k], lowest, s.tMax())
          .isBetween(lowest, s.tMax());
    }
  }

  /** The declared ends, within 10⁻¹². */
  static void assertEnds(TimeGrid grid, Schedule s, int steps, double[] t, Ends ends) {
    double last = t[t.length - 1];
    switch (ends) {
      case T_MAX_TO_T_MIN -> {
        assertThat(t[0]).as("%s on %s, %d steps: the first point must be the schedule's tMax() = %s; start"
            + " times(Schedule, int) at schedule.tMax()", grid, s, steps, s.tMax()).isCloseTo(s.tMax(), within(1e-12));
        assertThat(last).as("%s on %s, %d steps: the last point must be the schedule's tMin() = %s; end"
            + " times(Schedule, int) at schedule.tMin()", grid, s, steps, s.tMin()).isCloseTo(s.tMin(), within(1e-12));
      }
      case TO_ZERO -> assertThat(last).as("%s on %s, %d steps: declared to end with a final step to t = 0, but the last"
          + " point is %s; append 0 in times(Schedule, int)", grid, s, steps, last).isEqualTo(0.0);
      case INSIDE -> assertThat(last).as("%s on %s, %d steps: declared to end inside the schedule's range, but the last"
          + " point is %s", grid, s, steps, last).isBetween(s.tMin(), s.tMax());
      default -> throw new IllegalStateException();
    }
  }
}
