package org.diffuse4j.schedules;

import org.diffuse4j.api.Schedule;

/**
 * The EDM noise schedule of Karras et al. 2022: α = 1 and σ(t) = σ_max·t^ρ (ρ = 7), used between
 * σ_min = 0.002 and σ_max = 80, i.e. on [tMin, 1] with tMin = (σ_min/σ_max)^{1/ρ} ≈ 0.2201.
 *
 * <p>Why this t↔σ mapping: σ^{1/ρ} is linear in t, so the {@code uniform} grid from 1 to tMin is
 * exactly Karras's step discretisation (their eq. 5, σ_i^{1/ρ} linear in i), EDM recipes carry over
 * without a special grid, and σ(0) = 0 keeps data at t = 0 as in every other schedule, so the grids'
 * {@code to_zero} option is their final step to σ = 0. A log-linear clock would just repeat the
 * {@code ve} schedule. f = 0 and g² = 2σσ̇ = 2ρσ²/t.
 */
public record EdmSchedule(double sigmaMin, double sigmaMax, double rho) implements Schedule {

  public EdmSchedule {
    if (!(sigmaMin > 0) || !(sigmaMax > sigmaMin) || !(rho > 0)) {
      throw new IllegalArgumentException(
          "edm schedule needs 0 < sigma_min < sigma_max and rho > 0, got sigma_min=" + sigmaMin
              + ", sigma_max=" + sigmaMax + ", rho=" + rho);
    }
  }

  @Override
  public double alpha(double t) {
    return 1.0;
  }

  @Override
  public double sigma(double t) {
    return sigmaMax * Math.pow(t, rho);
  }

  @Override
  public double alphaDot(double t) {
    return 0.0;
  }

  /** σ̇ = ρ σ_max t^{ρ−1}. */
  @Override
  public double sigmaDot(double t) {
    return rho * sigmaMax * Math.pow(t, rho - 1);
  }

  /** The time where σ = σ_min: (σ_min/σ_max)^{1/ρ}. */
  @Override
  public double tMin() {
    return Math.pow(sigmaMin / sigmaMax, 1 / rho);
  }

  /** λ = −log σ = −log σ_max − ρ log t. */
  @Override
  public double lambda(double t) {
    return -Math.log(sigmaMax) - rho * Math.log(t);
  }

  /** t = (e^{−λ}/σ_max)^{1/ρ}. */
  @Override
  public double timeOfLambda(double lambda) {
    return Math.exp((-lambda - Math.log(sigmaMax)) / rho);
  }

  @Override
  public double f(double t) {
    return 0.0;
  }

  @Override
  public double g2(double t) {
    return 2 * sigma(t) * sigmaDot(t);
  }
}
