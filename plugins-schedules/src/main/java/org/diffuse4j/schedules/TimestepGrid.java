package org.diffuse4j.schedules;

import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TimeGrid;

/**
 * ComfyUI's "schedulers" that pick points on a model's N training timesteps τ ∈ [0, N − 1], each
 * followed by t = 0 (timestep τ is our t = (τ + 1)/N, as in {@link DiscreteGrid}; N = 1000 for
 * continuous schedules), for n = steps:
 * <ul>
 *   <li>{@code normal}: τ_j = linspace(N − 1, 0, n)_j, j &lt; n (the ends included);</li>
 *   <li>{@code sgm-uniform}: τ_j = linspace(N − 1, 0, n + 1)_j, j &lt; n (the SGM/LCM layout);</li>
 *   <li>{@code simple}: τ_j = N − 1 − ⌊j·N/n⌋, j &lt; n;</li>
 *   <li>{@code ddim-uniform}: τ = 1, 1 + s, 1 + 2s, … &lt; N with s = max(⌊N/n⌋, 1), descending. As in
 *       ComfyUI this gives ⌈(N − 1)/s⌉ points, which is n only when s divides N − 1 evenly enough
 *       (e.g. n = 10, 20, 25, 50 for N = 1000; 30 gives 31 steps);</li>
 *   <li>{@code beta}: τ_j = rint(F⁻¹(1 − j/n)·(N − 1)), j &lt; n, F the Beta(a, b) distribution
 *       function (a = b = 0.6: dense at both ends; Lee et al. 2024, arXiv:2407.12173), repeated τ
 *       dropped.</li>
 * </ul>
 * ComfyUI's model σ at fractional τ interpolates log σ between entries, ours the schedule at
 * t = (τ + 1)/N: equal at integer τ.
 */
public record TimestepGrid(Kind kind, int trainSteps, double a, double b) implements TimeGrid {

  /** The five layouts. */
  public enum Kind {
    NORMAL,
    SGM_UNIFORM,
    SIMPLE,
    DDIM_UNIFORM,
    BETA
  }

  public TimestepGrid {
    if (trainSteps < 0) {
      throw new IllegalArgumentException(name(kind) + " grid: train_steps must be >= 0, got " + trainSteps);
    }
    if (!(a > 0) || !(b > 0)) {
      throw new IllegalArgumentException(name(kind) + " grid: alpha and beta must be > 0, got " + a + ", " + b);
    }
  }

  static String name(Kind k) {
    return k.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** Fractional training timesteps τ, descending (without the final 0). */
  public double[] timesteps(Schedule schedule, int steps) {
    String grid = name(kind);
    if (steps < 1) {
      throw new IllegalArgumentException(grid + " grid: steps must be >= 1, got " + steps);
    }
    int n = trainSteps > 0 ? trainSteps : schedule instanceof DiscreteSchedule d ? d.trainSteps() : 1000;
    if (steps > n) {
      throw new IllegalArgumentException(grid + " grid: steps must be in [1, " + n + "] (the training steps N), got " + steps);
    }
    double last = n - 1;
    return switch (kind) {
      case NORMAL -> linspace(last, steps, steps == 1 ? 1 : steps - 1);
      case SGM_UNIFORM -> linspace(last, steps, steps);
      case SIMPLE -> {
        double[] tau = new double[steps];
        double ss = (double) n / steps;
        for (int j = 0; j < steps; j++) {
          tau[j] = last - Math.floor(j * ss);
        }
        yield tau;
      }
      case DDIM_UNIFORM -> {
        int ss = Math.max(n / steps, 1);
        int count = (n - 2) / ss + 1;
        double[] tau = new double[count];
        for (int i = 0; i < count; i++) {
          tau[count - 1 - i] = 1 + (double) i * ss;
        }
        yield tau;
      }
      case BETA -> {
        double[] raw = new double[steps];
        int m = 0;
        for (int j = 0; j < steps; j++) {
          double tau = Math.rint(BetaDistribution.quantile(1 - (double) j / steps, a, b) * last);
          if (m == 0 || tau != raw[m - 1]) {
            raw[m++] = tau;
          }
        }
        yield java.util.Arrays.copyOf(raw, m);
      }
    };
  }

  /** τ_j = last·(1 − j/div), j &lt; count. */
  private static double[] linspace(double last, int count, int div) {
    double[] tau = new double[count];
    for (int j = 0; j < count; j++) {
      tau[j] = last - last * j / div;
    }
    return tau;
  }

  @Override
  public double[] times(Schedule schedule, int steps) {
    double[] tau = timesteps(schedule, steps);
    int n = trainSteps > 0 ? trainSteps : schedule instanceof DiscreteSchedule d ? d.trainSteps() : 1000;
    double[] t = new double[tau.length + 1];
    for (int j = 0; j < tau.length; j++) {
      t[j] = Math.min((tau[j] + 1) / n, schedule.tMax());
    }
    return GridBounds.requireDecreasing(name(kind), t);
  }
}
