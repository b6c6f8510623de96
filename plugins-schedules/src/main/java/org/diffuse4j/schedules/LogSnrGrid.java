package org.diffuse4j.schedules;

import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TimeGrid;

/**
 * Times uniform in log-SNR λ = log(α/σ) between the bounds, mapped back through the schedule's
 * inverse (Lu et al. 2022, DPM-Solver, "logSNR" steps). Since λ = −log(σ/α), this is also
 * log-uniform in σ/α: k-diffusion's "exponential" σ grid, registered under both names.
 */
public record LogSnrGrid(GridBounds bounds) implements TimeGrid {

  @Override
  public double[] times(Schedule schedule, int steps) {
    double hi = bounds.start(schedule);
    double lo = bounds.end(schedule);
    GridBounds.requireFiniteLambda("log-snr", schedule, hi, lo);
    double lambdaHi = schedule.lambda(hi);
    double lambdaLo = schedule.lambda(lo);
    return bounds.layout("log-snr", steps, hi, lo, u -> schedule.timeOfLambda(lambdaHi + u * (lambdaLo - lambdaHi)));
  }
}
