package org.diffuse4j.schedules;

import java.util.Arrays;

/**
 * A DDPM-style table ᾱ_1 … ᾱ_N, ᾱ_k = Π_{j≤k}(1 − β_j) (Ho et al. 2020, eq. 4), as a continuous
 * schedule. The dictionary (seed 003, eq. 38) is explicit: table entry k sits at t_k = k/N and
 * <b>ᾱ is α squared</b>: α(t_k) = √ᾱ_k, σ(t_k) = √(1 − ᾱ_k). Diffusers' timestep index i (0-based)
 * is table entry k = i + 1, i.e. t = (i + 1)/N; ᾱ_0 = 1 at t = 0.
 *
 * <p>Between entries log ᾱ is linear in t (as DPM-Solver's discrete schedule), so B = −log ᾱ is
 * piecewise linear and β = g² is constant on each segment: N·log(1/(1 − β_k)) ≈ N β_k. With zero
 * terminal SNR (ᾱ_N = 0, Lin et al. 2024) the last segment interpolates α linearly to 0 instead.
 *
 * <p>t_min = 1/N (the first table entry; σ(0) = 0). t_max = 1, or 1 − min(1e-4, 0.1/N) when
 * ᾱ_N = 0.
 */
public final class DiscreteSchedule implements VariancePreservingFamily {

  /** Ways to build β_1 … β_N, named as in diffusers. */
  public enum BetaKind {
    /** β linear from β_start to β_end (DDPM: 1e-4 … 0.02). */
    LINEAR,
    /** √β linear from √β_start to √β_end (Stable Diffusion: 0.00085 … 0.012). */
    SCALED_LINEAR,
    /** β_k = min(1 − ᾱ(k/N)/ᾱ((k−1)/N), 0.999) with the cosine ᾱ(t) = cos²((t+0.008)/1.008·π/2). */
    SQUAREDCOS_CAP_V2
  }

  private final double[] alphaBar; // alphaBar[k] = ᾱ_k, k = 0..N, alphaBar[0] = 1
  private final double[] logAlphaBar;

  /** A schedule from the table ᾱ_1 … ᾱ_N (strictly decreasing, in [0, 1), only the last may be 0). */
  public DiscreteSchedule(double[] alphaBars) {
    int n = alphaBars.length;
    if (n < 1) {
      throw new IllegalArgumentException("discrete schedule needs at least one table entry");
    }
    alphaBar = new double[n + 1];
    alphaBar[0] = 1.0;
    System.arraycopy(alphaBars, 0, alphaBar, 1, n);
    for (int k = 1; k <= n; k++) {
      boolean ok = alphaBar[k] < alphaBar[k - 1] && (alphaBar[k] > 0 || (k == n && alphaBar[k] == 0));
      if (!ok) {
        throw new IllegalArgumentException(
            "discrete schedule needs 1 > ᾱ_1 > … > ᾱ_N >= 0 (only ᾱ_N may be 0), but ᾱ_" + k + "=" + alphaBar[k]
                + " after " + alphaBar[k - 1]);
      }
    }
    logAlphaBar = Arrays.stream(alphaBar).map(Math::log).toArray();
  }

  /** β_1 … β_N of the given kind (β_start, β_end are ignored by squaredcos-cap-v2). */
  public static double[] betas(BetaKind kind, int n, double betaStart, double betaEnd) {
    if (n < 1) {
      throw new IllegalArgumentException("train_steps must be >= 1, got " + n);
    }
    double[] b = new double[n];
    for (int j = 0; j < n; j++) {
      double u = n == 1 ? 0 : (double) j / (n - 1);
      switch (kind) {
        case LINEAR -> b[j] = betaStart + u * (betaEnd - betaStart);
        case SCALED_LINEAR -> {
          double r = Math.sqrt(betaStart) + u * (Math.sqrt(betaEnd) - Math.sqrt(betaStart));
          b[j] = r * r;
        }
        case SQUAREDCOS_CAP_V2 -> b[j] = Math.min(1 - cosineAlphaBar((j + 1.0) / n) / cosineAlphaBar((double) j / n), 0.999);
        default -> throw new IllegalStateException();
      }
    }
    return b;
  }

  private static double cosineAlphaBar(double t) {
    double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
    return c * c;
  }

  /** ᾱ_k = Π_{j≤k}(1 − β_j), k = 1..N. */
  public static double[] alphaBars(double[] betas) {
    double[] a = new double[betas.length];
    double p = 1.0;
    for (int j = 0; j < betas.length; j++) {
      p *= 1.0 - betas[j];
      a[j] = p;
    }
    return a;
  }

  /**
   * Rescales to zero terminal SNR (Lin et al. 2024, Algorithm 1): √ᾱ is shifted so √ᾱ_N = 0 and
   * scaled so √ᾱ_1 is kept.
   */
  public static double[] rescaleZeroTerminalSnr(double[] alphaBars) {
    int n = alphaBars.length;
    double first = Math.sqrt(alphaBars[0]);
    double last = Math.sqrt(alphaBars[n - 1]);
    double[] out = new double[n];
    for (int k = 0; k < n; k++) {
      double r = (Math.sqrt(alphaBars[k]) - last) * first / (first - last);
      out[k] = r * r;
    }
    out[n - 1] = 0.0;
    return out;
  }

  /** The schedule of a β kind, optionally rescaled to zero terminal SNR. */
  public static DiscreteSchedule of(BetaKind kind, int n, double betaStart, double betaEnd, boolean zeroTerminalSnr) {
    double[] a = alphaBars(betas(kind, n, betaStart, betaEnd));
    return new DiscreteSchedule(zeroTerminalSnr ? rescaleZeroTerminalSnr(a) : a);
  }

  /** N, the number of table entries. */
  public int trainSteps() {
    return alphaBar.length - 1;
  }

  /** ᾱ_k for k = 0..N (ᾱ_0 = 1). Remember α = √ᾱ. */
  public double alphaBar(int k) {
    return alphaBar[k];
  }

  /** t_k = k/N of table entry k; diffusers' timestep i is entry i + 1. */
  public double timeOfEntry(int k) {
    return (double) k / trainSteps();
  }

  private boolean zeroTerminalSnr() {
    return alphaBar[trainSteps()] == 0.0;
  }

  /** Segment k (between entries k and k+1) holding t; t = 1 belongs to the last. */
  private int segment(double t) {
    int n = trainSteps();
    return (int) Math.min(n - 1, Math.max(0, Math.floor(t * n)));
  }

  private boolean inLinearTail(double t) {
    return zeroTerminalSnr() && segment(t) == trainSteps() - 1;
  }

  /** Slope of α in the zero-SNR tail: α = √ᾱ_{N−1}·N(1 − t). */
  private double tailSlope() {
    return -Math.sqrt(alphaBar[trainSteps() - 1]) * trainSteps();
  }

  @Override
  public double integratedBeta(double t) {
    int k = segment(t);
    int n = trainSteps();
    if (inLinearTail(t)) {
      return -2.0 * Math.log(-tailSlope() * (1 - t));
    }
    double w = t * n - k;
    return -(logAlphaBar[k] + w * (logAlphaBar[k + 1] - logAlphaBar[k]));
  }

  @Override
  public double beta(double t) {
    if (inLinearTail(t)) {
      return 2.0 / (1 - t);
    }
    int k = segment(t);
    return -(logAlphaBar[k + 1] - logAlphaBar[k]) * trainSteps();
  }

  /** In the zero-SNR tail α̇ is the constant slope, finite where α = 0. */
  @Override
  public double alphaDot(double t) {
    return inLinearTail(t) ? tailSlope() : VariancePreservingFamily.super.alphaDot(t);
  }

  /** Inverts the piecewise-linear B by bisection over the entries, then linearly within one. */
  @Override
  public double timeOfIntegratedBeta(double b) {
    int n = trainSteps();
    if (!(b >= 0)) {
      throw new IllegalArgumentException("B must be >= 0, got " + b);
    }
    int lo = 0;
    int hi = zeroTerminalSnr() ? n - 1 : n;
    if (b >= -logAlphaBar[hi]) {
      if (zeroTerminalSnr()) {
        return 1 - Math.exp(-0.5 * b) / -tailSlope();
      }
      if (b == -logAlphaBar[n]) {
        return 1.0;
      }
      throw new IllegalArgumentException("B=" + b + " is beyond this table's B(1)=" + -logAlphaBar[n]);
    }
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (-logAlphaBar[mid] <= b) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double w = (b + logAlphaBar[lo]) / (logAlphaBar[lo] - logAlphaBar[lo + 1]);
    return (lo + w) / n;
  }

  @Override
  public double tMin() {
    return 1.0 / trainSteps();
  }

  @Override
  public double tMax() {
    return zeroTerminalSnr() ? 1 - Math.min(1e-4, 0.1 / trainSteps()) : 1.0;
  }

  @Override
  public String toString() {
    return "DiscreteSchedule[N=" + trainSteps() + ", ᾱ_N=" + alphaBar[trainSteps()] + "]";
  }
}
