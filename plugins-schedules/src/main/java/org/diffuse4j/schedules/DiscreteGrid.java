package org.diffuse4j.schedules;

import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TimeGrid;

/**
 * Diffusers' timestep spacings for a model trained on N discrete steps (DDIM/DDPM schedulers'
 * {@code timestep_spacing}; "leading"/"trailing" as in Lin et al. 2024, Table 2), for n = steps:
 * <ul>
 *   <li>linspace: i_j = round(j(N−1)/(n−1)), j = n−1 … 0 (999, …, 0)</li>
 *   <li>leading: i_j = j·⌊N/n⌋ + offset, j = n−1 … 0 (980, …, 0 for N = 1000, n = 50)</li>
 *   <li>trailing: i_j = round(N − j·N/n) − 1, j = 0 … n−1 (999, …, 19)</li>
 * </ul>
 * Diffusers' timestep i is our t = (i + 1)/N (table entry i + 1, see {@link DiscreteSchedule}),
 * clipped to the schedule's t_max; the n timesteps are followed by t = 0, the clean end DDIM reaches
 * with {@code set_alpha_to_one}. N is {@code trainSteps}, or (when 0) the schedule's table size, or
 * 1000 for continuous schedules.
 */
public record DiscreteGrid(Spacing spacing, int trainSteps, int stepsOffset) implements TimeGrid {

  /** The three spacings. */
  public enum Spacing {
    LINSPACE,
    LEADING,
    TRAILING
  }

  public DiscreteGrid {
    if (trainSteps < 0 || stepsOffset < 0) {
      throw new IllegalArgumentException(
          "discrete grid: train_steps and steps_offset must be >= 0, got " + trainSteps + ", " + stepsOffset);
    }
  }

  private String gridName() {
    return "discrete-" + spacing.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** N used for a schedule. */
  public int trainSteps(Schedule schedule) {
    if (trainSteps > 0) {
      return trainSteps;
    }
    return schedule instanceof DiscreteSchedule d ? d.trainSteps() : 1000;
  }

  /** Diffusers' timestep indices, descending. */
  public int[] timesteps(Schedule schedule, int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException(gridName() + " grid: steps must be >= 1, got " + steps);
    }
    int n = trainSteps(schedule);
    if (steps > n) {
      throw new IllegalArgumentException(
          gridName() + " grid: steps must be in [1, " + n + "] (the training steps N), got " + steps);
    }
    int[] idx = new int[steps];
    for (int j = 0; j < steps; j++) {
      int jj = steps - 1 - j; // position counted from the data end
      idx[j] = switch (spacing) {
        case LINSPACE -> (int) Math.rint(steps == 1 ? 0 : (double) jj * (n - 1) / (steps - 1));
        case LEADING -> jj * (n / steps) + stepsOffset;
        case TRAILING -> (int) Math.rint(n - (double) j * n / steps) - 1;
      };
      if (idx[j] > n - 1) {
        throw new IllegalArgumentException(
            gridName() + " grid: timestep " + idx[j] + " is beyond the last training step " + (n - 1)
                + " (reduce steps_offset)");
      }
    }
    return idx;
  }

  @Override
  public double[] times(Schedule schedule, int steps) {
    int[] idx = timesteps(schedule, steps);
    int n = trainSteps(schedule);
    double[] t = new double[steps + 1];
    for (int j = 0; j < steps; j++) {
      t[j] = Math.min((idx[j] + 1.0) / n, schedule.tMax());
    }
    t[steps] = 0.0;
    return GridBounds.requireDecreasing(gridName(), t);
  }
}
