package org.diffuse4j.schedules;

import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TimeGrid;

/**
 * Mochi's linear-quadratic schedule (Genmo 2024; ComfyUI {@code linear_quadratic}), in t (a flow
 * model's σ in ComfyUI): with n = steps, L = linear_steps (⌊n/2⌋ by default) and threshold θ, the
 * noise fractions s_i = iθ/L for i &lt; L continue as a quadratic a i² + b i + c for L ≤ i &lt; n
 * that reaches 1 at i = n with matching value and slope at L; t_i = t_max·(1 − s_i), then t = 0.
 * One step is t_max → 0.
 */
public record LinearQuadraticGrid(double tMax, double threshold, int linearSteps) implements TimeGrid {

  public LinearQuadraticGrid {
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("linear-quadratic grid: threshold_noise must be in (0, 1), got " + threshold);
    }
  }

  @Override
  public double[] times(Schedule schedule, int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("linear-quadratic grid: steps must be >= 1, got " + steps);
    }
    double top = tMax >= 0 ? tMax : schedule.tMax();
    double[] t = new double[steps + 1];
    t[0] = top;
    if (steps > 1) {
      int l = linearSteps > 0 ? linearSteps : steps / 2;
      if (l >= steps) {
        throw new IllegalArgumentException(
            "linear-quadratic grid: linear_steps must be < steps, got " + l + " for " + steps + " steps");
      }
      double diff = l - threshold * steps;
      int q = steps - l;
      double qa = diff / (l * (double) q * q);
      double qb = threshold / l - 2 * diff / ((double) q * q);
      double qc = qa * l * l;
      for (int i = 0; i < steps; i++) {
        double s = i < l ? i * threshold / l : qa * i * i + qb * i + qc;
        t[i] = top * (1 - s);
      }
    }
    t[steps] = 0.0;
    return GridBounds.requireDecreasing("linear-quadratic", t);
  }
}
