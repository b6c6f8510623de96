package org.diffuse4j.schedules;

import org.diffuse4j.api.Schedule;

/**
 * Variance-exploding schedule with geometric noise (Song &amp; Ermon 2019; Song et al. 2021):
 * α = 1, σ(t) = σ_min (σ_max/σ_min)^t. Then σ̇ = σ ln(σ_max/σ_min), f = 0,
 * g² = 2σ² ln(σ_max/σ_min), λ = −ln σ. Every quantity is finite on [0, 1] (σ(0) = σ_min &gt; 0:
 * the data end carries noise σ_min), so t_min = 0 and t_max = 1; the prior at t = 1 is N(0, σ_max²).
 */
public record VarianceExploding(double sigmaMin, double sigmaMax) implements Schedule {

  public VarianceExploding {
    if (!(sigmaMin > 0) || !(sigmaMax > sigmaMin)) {
      throw new IllegalArgumentException(
          "ve schedule needs 0 < sigma_min < sigma_max, got sigma_min=" + sigmaMin + ", sigma_max=" + sigmaMax);
    }
  }

  private double logRatio() {
    return Math.log(sigmaMax / sigmaMin);
  }

  @Override
  public double alpha(double t) {
    return 1.0;
  }

  @Override
  public double sigma(double t) {
    return sigmaMin * Math.exp(t * logRatio());
  }

  @Override
  public double alphaDot(double t) {
    return 0.0;
  }

  @Override
  public double sigmaDot(double t) {
    return sigma(t) * logRatio();
  }

  @Override
  public double lambda(double t) {
    return -Math.log(sigmaMin) - t * logRatio();
  }

  /** λ = −ln σ_min − t ln(σ_max/σ_min). */
  @Override
  public double timeOfLambda(double lambda) {
    return (-lambda - Math.log(sigmaMin)) / logRatio();
  }

  @Override
  public double f(double t) {
    return 0.0;
  }

  @Override
  public double g2(double t) {
    double s = sigma(t);
    return 2.0 * s * s * logRatio();
  }
}
