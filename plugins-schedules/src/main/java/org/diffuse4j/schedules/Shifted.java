package org.diffuse4j.schedules;

import org.diffuse4j.api.Schedule;

/**
 * A schedule seen through the resolution shift of SD3 / Flux (Esser et al. 2024, §5.3.2):
 * t' = s·t/(1 + (s − 1)t), α(t) = α_base(t'), σ(t) = σ_base(t'). For s &gt; 1 more time is spent at
 * high noise. Derivatives follow the chain rule with dt'/dt = s/(1 + (s − 1)t)²; λ's inverse is the
 * base inverse mapped back by t = t'/(s − (s − 1)t'). tMin/tMax are the base's, mapped back.
 */
public record Shifted(Schedule base, double shift) implements Schedule {

  public Shifted {
    if (!(shift > 0)) {
      throw new IllegalArgumentException("shifted schedule needs shift > 0, got " + shift);
    }
  }

  /** t' = s·t/(1 + (s − 1)t). */
  public double warp(double t) {
    return shift * t / (1 + (shift - 1) * t);
  }

  /** dt'/dt = s/(1 + (s − 1)t)². */
  public double warpDot(double t) {
    double d = 1 + (shift - 1) * t;
    return shift / (d * d);
  }

  /** The inverse of {@link #warp}: t = t'/(s − (s − 1)t'). */
  public double unwarp(double tw) {
    return tw / (shift - (shift - 1) * tw);
  }

  @Override
  public double alpha(double t) {
    return base.alpha(warp(t));
  }

  @Override
  public double sigma(double t) {
    return base.sigma(warp(t));
  }

  @Override
  public double alphaDot(double t) {
    return base.alphaDot(warp(t)) * warpDot(t);
  }

  @Override
  public double sigmaDot(double t) {
    return base.sigmaDot(warp(t)) * warpDot(t);
  }

  @Override
  public double tMin() {
    return unwarp(base.tMin());
  }

  @Override
  public double tMax() {
    return unwarp(base.tMax());
  }

  @Override
  public double lambda(double t) {
    return base.lambda(warp(t));
  }

  @Override
  public double timeOfLambda(double lambda) {
    return unwarp(base.timeOfLambda(lambda));
  }

  @Override
  public double f(double t) {
    return base.f(warp(t)) * warpDot(t);
  }

  /** g² = 2σ² dlog(σ/α)/dt scales with dt'/dt. */
  @Override
  public double g2(double t) {
    return base.g2(warp(t)) * warpDot(t);
  }
}
