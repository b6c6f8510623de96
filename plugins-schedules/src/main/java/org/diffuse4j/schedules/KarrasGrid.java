package org.diffuse4j.schedules;

import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TimeGrid;

/**
 * Karras et al. 2022 (EDM, eq. 5) noise levels r_k = (r_max^{1/ρ} + k/(N−1)(r_min^{1/ρ} −
 * r_max^{1/ρ}))^ρ in the noise-to-signal ratio r = σ/α (σ itself when α = 1), ρ = 7 by default,
 * mapped to times through λ = −log r. The ends are exactly sigma_max and sigma_min when given (else
 * σ/α at the bounds' times). With to_zero the levels are followed by t = 0 (EDM's σ_N = 0).
 */
public record KarrasGrid(GridBounds bounds, double rho) implements TimeGrid {

  public KarrasGrid {
    if (!(rho > 0)) {
      throw new IllegalArgumentException("karras grid: rho must be > 0, got " + rho);
    }
  }

  private double rMax(Schedule s) {
    return bounds.sigmaMax() >= 0 ? bounds.sigmaMax() : s.sigmaOverAlpha(bounds.start(s));
  }

  private double rMin(Schedule s) {
    return bounds.sigmaMin() >= 0 ? bounds.sigmaMin() : s.sigmaOverAlpha(bounds.end(s));
  }

  /** The noise-to-signal ratios σ/α of the spaced points, first and last exactly r_max and r_min. */
  public double[] sigmas(Schedule schedule, int steps) {
    int n = bounds.toZero() ? steps : steps + 1;
    double rMax = rMax(schedule);
    double rMin = rMin(schedule);
    double a = Math.pow(rMax, 1 / rho);
    double b = Math.pow(rMin, 1 / rho);
    double[] r = new double[n];
    for (int k = 0; k < n; k++) {
      r[k] = k == 0 ? rMax : k == n - 1 ? rMin : Math.pow(a + (double) k / (n - 1) * (b - a), rho);
    }
    return r;
  }

  @Override
  public double[] times(Schedule schedule, int steps) {
    double hi = bounds.start(schedule);
    double lo = bounds.end(schedule);
    GridBounds.requireFiniteLambda("karras", schedule, hi, lo);
    double a = Math.pow(rMax(schedule), 1 / rho);
    double b = Math.pow(rMin(schedule), 1 / rho);
    return bounds.layout("karras", steps, hi, lo,
        u -> GridBounds.timeOfSigma(schedule, Math.pow(a + u * (b - a), rho)));
  }
}
