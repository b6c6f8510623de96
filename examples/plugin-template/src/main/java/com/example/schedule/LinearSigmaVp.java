package com.example.schedule;

import org.diffuse4j.api.Schedule;

/**
 * Variance-preserving path with linear noise: σ(t) = t, α(t) = √(1 − t²), so α² + σ² = 1 (the
 * "linear σ" VP path). Data at t = 0, pure noise at t = 1; tMax stops short of 1, where α̇ is infinite.
 */
public record LinearSigmaVp() implements Schedule {

  @Override
  public double alpha(double t) {
    return Math.sqrt(1 - t * t);
  }

  @Override
  public double sigma(double t) {
    return t;
  }

  @Override
  public double alphaDot(double t) {
    return -t / Math.sqrt(1 - t * t);
  }

  @Override
  public double sigmaDot(double t) {
    return 1;
  }

  @Override
  public double tMin() {
    return 1e-4;
  }

  @Override
  public double tMax() {
    return 1 - 1e-4;
  }

  /** λ(t) = log(α/σ) has the closed-form inverse t = 1/√(1 + e^{2λ}). */
  @Override
  public double timeOfLambda(double lambda) {
    return 1 / Math.sqrt(1 + Math.exp(2 * lambda));
  }
}
