package org.diffuse4j.schedules;

import org.diffuse4j.api.Schedule;

/**
 * Trigonometric path α = cos(πt/2), σ = σ_d·sin(πt/2). With σ_d = 1 it is the cosine path of seed 003
 * (the {@code trig} plugin: α² + σ² = 1, g² = π tan(πt/2)); with σ_d = σ_data it is TrigFlow of sCM
 * (Lu &amp; Song 2024: x = cos(τ)x0 + sin(τ)z, z ~ N(0, σ_d² I), τ = πt/2 ∈ [0, π/2]).
 *
 * <p>λ = −log(σ_d tan(πt/2)), g² = π σ_d² tan(πt/2). α = 0 at t = 1 and σ = 0 at t = 0, so
 * tMin = 1e-4 and tMax = 1 − 1e-4, as for rectified flow.
 */
public record TrigFlow(double sigmaData) implements Schedule {

  public TrigFlow {
    if (!(sigmaData > 0)) {
      throw new IllegalArgumentException("trigflow needs sigma_data > 0, got " + sigmaData);
    }
  }

  private static double angle(double t) {
    return 0.5 * Math.PI * t;
  }

  @Override
  public double alpha(double t) {
    return Math.cos(angle(t));
  }

  @Override
  public double sigma(double t) {
    return sigmaData * Math.sin(angle(t));
  }

  @Override
  public double alphaDot(double t) {
    return -0.5 * Math.PI * Math.sin(angle(t));
  }

  @Override
  public double sigmaDot(double t) {
    return 0.5 * Math.PI * sigmaData * Math.cos(angle(t));
  }

  @Override
  public double tMin() {
    return 1e-4;
  }

  @Override
  public double tMax() {
    return 1.0 - 1e-4;
  }

  @Override
  public double lambda(double t) {
    return -Math.log(sigmaData * Math.tan(angle(t)));
  }

  /** t = (2/π)·atan(e^{−λ}/σ_d). */
  @Override
  public double timeOfLambda(double lambda) {
    return 2 / Math.PI * Math.atan(Math.exp(-lambda) / sigmaData);
  }

  /** f = −(π/2) tan(πt/2). */
  @Override
  public double f(double t) {
    return -0.5 * Math.PI * Math.tan(angle(t));
  }

  /** g² = π σ_d² tan(πt/2) (seed 003 §1.3 with σ_d = 1). */
  @Override
  public double g2(double t) {
    return Math.PI * sigmaData * sigmaData * Math.tan(angle(t));
  }
}
