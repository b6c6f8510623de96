package org.diffuse4j.schedules;

import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TimeGrid;

/**
 * A grid given as a list: either times (descending), or noise-to-signal ratios σ/α (σ for α = 1
 * schedules, descending) converted through the schedule's inverse t = λ⁻¹(−log σ), σ = 0 giving
 * t = 0. The list holds steps + 1 values, or steps when {@code toZero} appends a final t = 0.
 */
public record ExplicitGrid(double[] times, double[] sigmas, boolean toZero) implements TimeGrid {

  public ExplicitGrid {
    times = times == null ? new double[0] : times.clone();
    sigmas = sigmas == null ? new double[0] : sigmas.clone();
    if ((times.length == 0) == (sigmas.length == 0)) {
      throw new IllegalArgumentException("explicit grid: give exactly one of 'times' or 'sigmas' (a non-empty list)");
    }
  }

  @Override
  public double[] times(Schedule schedule, int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("explicit grid: steps must be >= 1, got " + steps);
    }
    int given = Math.max(times.length, sigmas.length);
    int needed = toZero ? steps : steps + 1;
    if (given != needed) {
      throw new IllegalArgumentException(
          "explicit grid: " + steps + " steps need " + needed + " values" + (toZero ? " (plus the final 0)" : "")
              + ", but the list has " + given);
    }
    double[] t = new double[steps + 1];
    for (int k = 0; k < given; k++) {
      if (times.length > 0) {
        t[k] = times[k];
      } else if (!(sigmas[k] >= 0)) {
        throw new IllegalArgumentException("explicit grid: sigmas[" + k + "] = " + sigmas[k] + " is negative");
      } else {
        t[k] = GridBounds.timeOfSigma(schedule, sigmas[k]);
      }
    }
    if (toZero) {
      t[steps] = 0.0;
    }
    return GridBounds.requireDecreasing("explicit", t);
  }

  @Override
  public double[] times() {
    return times.clone();
  }

  @Override
  public double[] sigmas() {
    return sigmas.clone();
  }
}
