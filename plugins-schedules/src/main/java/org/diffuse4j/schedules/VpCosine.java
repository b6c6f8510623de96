package org.diffuse4j.schedules;

/**
 * Continuous improved-DDPM cosine schedule (Nichol &amp; Dhariwal 2021, eq. 17):
 * ᾱ(t) = α(t)² = cos²θ(t) / cos²θ(0) with θ(t) = (t + s)/(1 + s)·π/2, offset s = 0.008.
 *
 * <p>Its rate β(t) = −d log ᾱ/dt = π/(1+s)·tan θ(t) blows up at t = 1. Nichol &amp; Dhariwal clip
 * each discrete β_k = 1 − ᾱ_k/ᾱ_{k−1} at 0.999 on their N-step grid, i.e. log ᾱ may fall by at most
 * −ln(1 − 0.999) per step of 1/N. The continuous equivalent used here caps the rate at
 * β_c = −N ln(1 − max_beta) (6908 for N = 1000): past the time t_c where the cosine rate reaches β_c,
 * B = −log ᾱ grows linearly. So α(1) ≈ 1.7e-4 &gt; 0 and everything is finite up to t = 1 (t_max = 1).
 * σ(0) = 0, so t_min = 1e-3. (DPM-Solver's continuous cosine instead stops at t ≈ 0.9946 where
 * β = 999, the first-order version of the same clip.)
 */
public record VpCosine(double offset, double maxBeta, int referenceSteps) implements VariancePreservingFamily {

  public VpCosine {
    if (!(offset > 0) || !(maxBeta > 0 && maxBeta < 1) || referenceSteps < 1) {
      throw new IllegalArgumentException(
          "vp-cosine needs offset > 0, 0 < max_beta < 1 and reference_steps >= 1, got offset=" + offset
              + ", max_beta=" + maxBeta + ", reference_steps=" + referenceSteps);
    }
  }

  /** The paper's defaults: s = 0.008, β clipped at 0.999 on a 1000-step grid. */
  public VpCosine() {
    this(0.008, 0.999, 1000);
  }

  private double theta(double t) {
    return (t + offset) / (1 + offset) * Math.PI / 2;
  }

  /** β_c = −N ln(1 − max_beta), the largest rate. */
  public double betaClip() {
    return -referenceSteps * Math.log1p(-maxBeta);
  }

  /** t_c, where the cosine rate reaches β_c: tan θ(t_c) = β_c (1+s)/π (1 if never reached). */
  public double clipTime() {
    double tc = Math.atan(betaClip() * (1 + offset) / Math.PI) * 2 * (1 + offset) / Math.PI - offset;
    return Math.min(1.0, tc);
  }

  /** −2 log(cos θ(t)/cos θ(0)), with cos(θ0+δ)/cos θ0 = 1 − 2 sin²(δ/2) − tan θ0 sin δ (no cancellation near 0). */
  private double cosineB(double t) {
    double theta0 = theta(0);
    double delta = theta(t) - theta0;
    double half = Math.sin(0.5 * delta);
    return -2.0 * Math.log1p(-2.0 * half * half - Math.tan(theta0) * Math.sin(delta));
  }

  @Override
  public double beta(double t) {
    return t <= clipTime() ? Math.PI / (1 + offset) * Math.tan(theta(t)) : betaClip();
  }

  @Override
  public double integratedBeta(double t) {
    double tc = clipTime();
    return t <= tc ? cosineB(t) : cosineB(tc) + betaClip() * (t - tc);
  }

  /** cos θ = cos θ0 · e^{−B/2} before the clip, linear B after it. */
  @Override
  public double timeOfIntegratedBeta(double b) {
    double tc = clipTime();
    double bc = cosineB(tc);
    if (b > bc) {
      return tc + (b - bc) / betaClip();
    }
    double theta = Math.acos(Math.cos(theta(0)) * Math.exp(-0.5 * b));
    return theta * 2 * (1 + offset) / Math.PI - offset;
  }

  @Override
  public double tMin() {
    return 1e-3;
  }
}
