package org.diffuse4j.schedules;

import org.diffuse4j.api.Schedule;

/**
 * Rectified flow / linear path: α = 1 − t, σ = t (Liu et al. 2022; Lipman et al. 2023, with t
 * reversed). α vanishes at t = 1, so tMax = 1 − 1e-4 for anything that divides by α.
 */
public record RectifiedFlow() implements Schedule {

  @Override
  public double alpha(double t) {
    return 1.0 - t;
  }

  @Override
  public double sigma(double t) {
    return t;
  }

  @Override
  public double alphaDot(double t) {
    return -1.0;
  }

  @Override
  public double sigmaDot(double t) {
    return 1.0;
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
    return Math.log1p(-t) - Math.log(t);
  }

  /** λ = log((1−t)/t) ⇒ t = 1/(1 + e^λ). */
  @Override
  public double timeOfLambda(double lambda) {
    return 1.0 / (1.0 + Math.exp(lambda));
  }

  /** f = −1/(1−t). */
  @Override
  public double f(double t) {
    return -1.0 / (1.0 - t);
  }

  /** g² = 2t/(1−t) (seed 003 §1.3 table). */
  @Override
  public double g2(double t) {
    return 2.0 * t / (1.0 - t);
  }
}
