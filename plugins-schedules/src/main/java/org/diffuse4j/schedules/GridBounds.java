package org.diffuse4j.schedules;

import java.util.function.DoubleUnaryOperator;
import org.diffuse4j.api.Schedule;

/**
 * What every continuous grid shares: where it starts and ends, and whether a final step goes to
 * exactly t = 0 (a final denoising step, as in Karras et al. 2022, Alg. 1, where σ_N = 0).
 *
 * <p>Bounds are given in t ({@code t_max}, {@code t_min}) or in σ/α ({@code sigma_max},
 * {@code sigma_min}, converted through the schedule's inverse λ = −log(σ/α)); a negative value means
 * "not given", and with neither the schedule's own tMax/tMin are used.
 */
public record GridBounds(double tMax, double tMin, double sigmaMax, double sigmaMin, boolean toZero) {

  /** The schedule's own range, no final step to 0. */
  public static final GridBounds DEFAULT = new GridBounds(-1, -1, -1, -1, false);

  public GridBounds {
    if (tMax >= 0 && sigmaMax >= 0) {
      throw new IllegalArgumentException("give t_max or sigma_max, not both");
    }
    if (tMin >= 0 && sigmaMin >= 0) {
      throw new IllegalArgumentException("give t_min or sigma_min, not both");
    }
  }

  /** Bounds in t only. */
  public static GridBounds ofTimes(double tMax, double tMin, boolean toZero) {
    return new GridBounds(tMax, tMin, -1, -1, toZero);
  }

  /** The time at which σ/α equals {@code sigma}: t = λ⁻¹(−log σ), and 0 for σ = 0. */
  public static double timeOfSigma(Schedule schedule, double sigma) {
    return sigma == 0 ? 0.0 : schedule.timeOfLambda(-Math.log(sigma));
  }

  /** The first (largest) time. */
  public double start(Schedule s) {
    return sigmaMax >= 0 ? timeOfSigma(s, sigmaMax) : tMax >= 0 ? tMax : s.tMax();
  }

  /** The last time before the optional final step to 0. */
  public double end(Schedule s) {
    return sigmaMin >= 0 ? timeOfSigma(s, sigmaMin) : tMin >= 0 ? tMin : s.tMin();
  }

  /**
   * Lays out {@code steps + 1} times: {@code spacing} maps u ∈ [0, 1] to t (u = 0 is {@code start},
   * u = 1 is {@code end}); the endpoints are set exactly. With {@code toZero} the spaced part has
   * {@code steps} points and a last point t = 0 follows.
   */
  public double[] layout(String grid, int steps, double start, double end, DoubleUnaryOperator spacing) {
    if (steps < 1) {
      throw new IllegalArgumentException(grid + " grid: steps must be >= 1, got " + steps);
    }
    if (!(start <= 1) || !(end >= 0) || !(start > end)) {
      throw new IllegalArgumentException(
          grid + " grid needs 1 >= t_max > t_min >= 0, got t_max=" + start + ", t_min=" + end);
    }
    if (toZero && end == 0) {
      throw new IllegalArgumentException(grid + " grid: to_zero needs t_min > 0 (the grid already ends at 0)");
    }
    int n = toZero ? steps : steps + 1;
    double[] t = new double[steps + 1];
    for (int k = 0; k < n; k++) {
      t[k] = n == 1 ? start : spacing.applyAsDouble((double) k / (n - 1));
    }
    t[0] = start;
    if (n > 1) {
      t[n - 1] = end;
    }
    if (toZero) {
      t[steps] = 0.0;
    }
    return requireDecreasing(grid, t);
  }

  /** Fails unless λ is finite at both ends (grids placed in λ or σ/α need that). */
  public static void requireFiniteLambda(String grid, Schedule s, double start, double end) {
    for (double t : new double[] {start, end}) {
      if (!Double.isFinite(s.lambda(t))) {
        throw new IllegalArgumentException(
            grid + " grid: log-SNR λ is infinite at t=" + t + "; choose t_max/t_min inside the schedule's usable range ["
                + s.tMin() + ", " + s.tMax() + "]");
      }
    }
  }

  /** Fails unless {@code t} is strictly decreasing and inside [0, 1]. */
  public static double[] requireDecreasing(String grid, double[] t) {
    for (int k = 0; k < t.length; k++) {
      if (!(t[k] >= 0 && t[k] <= 1)) {
        throw new IllegalArgumentException(grid + " grid: time " + t[k] + " at index " + k + " is outside [0, 1]");
      }
      if (k > 0 && !(t[k] < t[k - 1])) {
        throw new IllegalArgumentException(
            grid + " grid: times must decrease strictly, but t[" + k + "] = " + t[k] + " >= t[" + (k - 1) + "] = " + t[k - 1]
                + " (too many steps for this range?)");
      }
    }
    return t;
  }
}
