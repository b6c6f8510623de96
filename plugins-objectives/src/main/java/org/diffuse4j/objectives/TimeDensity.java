package org.diffuse4j.objectives;

import org.diffuse4j.api.Schedule;

/**
 * A training-time density on [0, 1] given by its inverse CDF: t = F⁻¹(u) for u uniform on (0, 1).
 * Densities defined on σ or λ (EDM's log-normal) need the schedule to map back to t.
 */
public interface TimeDensity {

  /** t = F⁻¹(u); {@code schedule} may be null when {@link #needsSchedule()} is false. */
  double sample(Schedule schedule, double u);

  /** Whether {@link #sample} needs the run's schedule. */
  default boolean needsSchedule() {
    return false;
  }

  /** t uniform on [t_min, t_max] (Ho et al. 2020; Lipman et al. 2023). */
  record Uniform(double tMin, double tMax) implements TimeDensity {
    public Uniform {
      if (!(tMin >= 0 && tMax <= 1 && tMin < tMax)) {
        throw new IllegalArgumentException("uniform time density needs 0 <= t_min < t_max <= 1, got " + tMin + ", " + tMax);
      }
    }

    @Override
    public double sample(Schedule schedule, double u) {
      return tMin + (tMax - tMin) * u;
    }
  }

  /** Logit-normal: t = sigmoid(m + s·Φ⁻¹(u)) (Esser et al. 2024, SD3 §3.1). */
  record LogitNormal(double m, double s) implements TimeDensity {
    @Override
    public double sample(Schedule schedule, double u) {
      return 1.0 / (1.0 + Math.exp(-(m + s * NormalQuantile.of(u))));
    }
  }

  /**
   * SD3 mode sampling: t = 1 − v − scale·(cos²(πv/2) − 1 + v) with v = 1 − u, so that t increases
   * with u; scale = 0 is uniform, scale &gt; 0 favours the middle (Esser et al. 2024, eq. 20).
   */
  record Mode(double scale) implements TimeDensity {
    public Mode {
      if (!(scale >= -1 && scale <= 2 / (Math.PI - 2))) {
        throw new IllegalArgumentException("mode scale must be in [-1, 2/(π−2)] to stay monotone, got " + scale);
      }
    }

    @Override
    public double sample(Schedule schedule, double u) {
      double v = 1 - u;
      double c = Math.cos(0.5 * Math.PI * v);
      return 1 - v - scale * (c * c - 1 + v);
    }
  }

  /**
   * EDM's log-normal noise levels: ln σ̃ ~ N(P_mean, P_std²) on the VE-equivalent level σ̃ = σ/α =
   * e^{−λ}, mapped to t = λ⁻¹(−ln σ̃) through the schedule and clamped to [t_min, t_max] (Karras
   * et al. 2022, Table 1). {@code fixed} is a schedule given in the options; otherwise the run's.
   */
  record LogNormal(double pMean, double pStd, Schedule fixed) implements TimeDensity {
    @Override
    public boolean needsSchedule() {
      return fixed == null;
    }

    @Override
    public double sample(Schedule schedule, double u) {
      Schedule s = fixed != null ? fixed : schedule;
      if (s == null) {
        throw new IllegalStateException(
            "the log-normal time density maps σ to t through a schedule, and none was given");
      }
      double lambda = -(pMean + pStd * NormalQuantile.of(u));
      double hi = s.lambda(s.tMin());
      double lo = s.lambda(s.tMax());
      return s.timeOfLambda(Math.max(lo, Math.min(hi, lambda)));
    }
  }

  /** Discrete levels t = k/N, k = ⌈uN⌉ ∈ {1, …, N}, uniform (DDPM's t ~ U{1..T}, Ho et al. 2020). */
  record Discrete(int steps) implements TimeDensity {
    public Discrete {
      if (steps < 1) {
        throw new IllegalArgumentException("discrete time density needs steps >= 1, got " + steps);
      }
    }

    @Override
    public double sample(Schedule schedule, double u) {
      int k = Math.max(1, Math.min(steps, (int) Math.ceil(u * steps)));
      return (double) k / steps;
    }
  }
}
