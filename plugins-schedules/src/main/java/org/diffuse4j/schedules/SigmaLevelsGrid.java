package org.diffuse4j.schedules;

import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TimeGrid;

/**
 * Grids given as noise levels r = σ/α (k-diffusion's σ), mapped to times through λ = −log r, followed
 * by t = 0 (kl-optimal only with {@code to_zero}; without it its n + 1 levels end at t_min, as uniform):
 * <ul>
 *   <li>{@code kl-optimal}: r_j = tan((1 − u_j)·atan r_max + u_j·atan r_min), u_j = j/(n − 1), j &lt; n
 *       (Sabour, Fidler &amp; Kreis 2024, "Align your steps", App. / A1111 PR 15608), r_max and r_min
 *       from the bounds as in {@link KarrasGrid};</li>
 *   <li>{@code ays}: the published 10-step Align-Your-Steps levels for SD 1.5, SDXL or SVD (NVIDIA,
 *       research.nvidia.com/labs/toronto-ai/AlignYourSteps/howto.html), interpolated log-linearly to
 *       n + 1 points (linear in log r over an equally spaced index), the last replaced by 0.</li>
 * </ul>
 * A level above the schedule's r(t_max) is clipped to t_max.
 */
public record SigmaLevelsGrid(Kind kind, GridBounds bounds, Ays table) implements TimeGrid {

  /** The two constructions. */
  public enum Kind {
    KL_OPTIMAL,
    AYS
  }

  /** Align-Your-Steps' published σ tables (11 levels, 10 steps). */
  public enum Ays {
    SD1(14.6146412293, 6.4745760956, 3.8636745985, 2.6946151520, 1.8841921177, 1.3943805092,
        0.9642583904, 0.6523686016, 0.3977456272, 0.1515232662, 0.0291671582),
    SDXL(14.6146412293, 6.3184485287, 3.7681790315, 2.1811480769, 1.3405244945, 0.8620721141,
        0.5550693289, 0.3798540708, 0.2332364134, 0.1114188177, 0.0291671582),
    SVD(700.00, 54.5, 15.886, 7.977, 4.248, 1.789, 0.981, 0.403, 0.173, 0.034, 0.002);

    private final double[] levels;

    Ays(double... levels) {
      this.levels = levels;
    }

    /** The published levels, descending. */
    public double[] levels() {
      return levels.clone();
    }
  }

  /** Log-linear interpolation of descending levels to {@code count} points (the AYS recipe). */
  public static double[] logLinear(double[] levels, int count) {
    int m = levels.length;
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      double x = count == 1 ? 0 : (double) i / (count - 1) * (m - 1);
      int lo = Math.min((int) Math.floor(x), m - 2);
      double w = x - lo;
      out[i] = Math.exp((1 - w) * Math.log(levels[lo]) + w * Math.log(levels[lo + 1]));
    }
    return out;
  }

  /** The noise levels r_j, descending (without the final 0). */
  public double[] sigmas(Schedule schedule, int steps) {
    String grid = kind == Kind.AYS ? "ays" : "kl-optimal";
    if (steps < 1) {
      throw new IllegalArgumentException(grid + " grid: steps must be >= 1, got " + steps);
    }
    if (kind == Kind.AYS) {
      double[] all = steps + 1 == table.levels.length ? table.levels() : logLinear(table.levels, steps + 1);
      return java.util.Arrays.copyOf(all, steps);
    }
    double rMax = bounds.sigmaMax() >= 0 ? bounds.sigmaMax() : schedule.sigmaOverAlpha(bounds.start(schedule));
    double rMin = bounds.sigmaMin() >= 0 ? bounds.sigmaMin() : schedule.sigmaOverAlpha(bounds.end(schedule));
    double[] r = new double[steps];
    for (int j = 0; j < steps; j++) {
      double u = steps == 1 ? 0 : (double) j / (steps - 1);
      r[j] = Math.tan(u * Math.atan(rMin) + (1 - u) * Math.atan(rMax));
    }
    return r;
  }

  @Override
  public double[] times(Schedule schedule, int steps) {
    String grid = kind == Kind.AYS ? "ays" : "kl-optimal";
    // kl-optimal without to_zero ends at t_min like uniform (docs/schedules.md): steps + 1 levels, no final 0
    boolean toZero = kind == Kind.AYS || bounds.toZero();
    int levels = toZero ? steps : steps + 1;
    double[] r = sigmas(schedule, levels);
    double[] t = new double[steps + 1];
    double lambdaTop = schedule.lambda(schedule.tMax());
    for (int j = 0; j < levels; j++) {
      t[j] = -Math.log(r[j]) <= lambdaTop ? schedule.tMax() : Math.min(schedule.tMax(), GridBounds.timeOfSigma(schedule, r[j]));
    }
    if (kind == Kind.KL_OPTIMAL && bounds.sigmaMax() < 0) {
      t[0] = bounds.start(schedule); // tan(atan r) may round r_max up
    }
    if (toZero) {
      t[steps] = 0.0;
    } else if (bounds.sigmaMin() < 0) {
      t[steps] = bounds.end(schedule); // and r_min down
    }
    return GridBounds.requireDecreasing(grid, t);
  }
}
