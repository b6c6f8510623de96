package org.diffuse4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Set;
import org.diffuse4j.api.Schedule;

/**
 * The laws every {@link Schedule} (ours or a third party's) keeps, checked in Java doubles: α, σ
 * positive and every quantity finite on [tMin, tMax]; α̇, σ̇ equal to central finite differences;
 * λ = log(α/σ) strictly decreasing with {@link Schedule#timeOfLambda} its inverse; f = α̇/α and
 * g² = 2(σσ̇ − σ²α̇/α) (seed 003, eq. 27) whether overridden or not; and the boundary convention the
 * schedule declares ({@link End}). {@link #assertConforms} runs them all; each is also public. Each
 * failure names the method to fix.
 */
public final class ScheduleConformance {
  private ScheduleConformance() {}

  /** A boundary a schedule declares it reaches (time convention: data at t = 0, noise at t = 1). */
  public enum End {
    /** x_0 is the data: α(0) = 1 and σ(0) = 0 (VP, EDM, rectified flow; not VE, whose σ(0) = σ_min). */
    DATA_AT_ZERO,
    /** x_1 is pure noise: α(1) = 0 and σ(1) &gt; 0 (rectified flow, trig, zero terminal SNR; not VP, whose α(1) = e^{−5}). */
    NOISE_AT_ONE
  }

  /** Interior points of the derivative checks. */
  static final int INTERIOR = 29;

  /** Points of the monotonicity sweep of λ. */
  static final int SWEEP = 2000;

  /** Runs every law; {@code ends} are the boundaries the schedule declares (none for VE-like ones). */
  public static void assertConforms(Schedule s, End... ends) {
    assertRange(s);
    assertFiniteAndPositive(s);
    assertDerivatives(s);
    assertLambdaDecreasing(s);
    assertLambdaInverse(s);
    assertDerivedQuantities(s);
    for (End e : Set.of(ends)) {
      assertEnd(s, e);
    }
  }

  /** 0 ≤ tMin &lt; tMax ≤ 1. */
  public static void assertRange(Schedule s) {
    assertThat(s.tMin())
        .as("%s: tMin() = %s must be in [0, tMax()) (time runs from data at 0 to noise at 1); override tMin()", s, s.tMin())
        .isGreaterThanOrEqualTo(0.0).isLessThan(s.tMax());
    assertThat(s.tMax()).as("%s: tMax() = %s must be at most 1; override tMax()", s, s.tMax()).isLessThanOrEqualTo(1.0);
  }

  /** α &gt; 0, σ &gt; 0 and α, σ, α̇, σ̇, λ, f, g², σ/α finite on [tMin, tMax] (Schedule#tMin's contract). */
  public static void assertFiniteAndPositive(Schedule s) {
    for (int i = 0; i <= SWEEP; i++) {
      double t = sweep(s, i);
      assertThat(s.alpha(t)).as("%s: alpha(%s) must be > 0 on [tMin, tMax]; fix alpha(double) or shrink tMax()", s, t)
          .isPositive().isFinite();
      assertThat(s.sigma(t)).as("%s: sigma(%s) must be > 0 on [tMin, tMax]; fix sigma(double) or raise tMin()", s, t)
          .isPositive().isFinite();
      String[] names = {"alphaDot", "sigmaDot", "lambda", "f", "g2", "sigmaOverAlpha"};
      double[] v = {s.alphaDot(t), s.sigmaDot(t), s.lambda(t), s.f(t), s.g2(t), s.sigmaOverAlpha(t)};
      for (int k = 0; k < v.length; k++) {
        assertThat(Double.isFinite(v[k]))
            .as("%s: %s(%s) = %s must be finite on [tMin, tMax]; fix %s(double), or move tMin()/tMax() inside the"
                + " range where it is finite", s, names[k], t, v[k], names[k])
            .isTrue();
      }
    }
  }

  /**
   * α̇ and σ̇ equal central differences (α(t + h) − α(t − h))/2h, h = 10⁻⁶·min(1, t), within 10⁻⁶
   * relative at interior points (offset so that no point sits on a table's knot).
   */
  public static void assertDerivatives(Schedule s) {
    for (double t : interior(s, INTERIOR)) {
      double h = 1e-6 * Math.min(1.0, t);
      double fdAlpha = (s.alpha(t + h) - s.alpha(t - h)) / (2 * h);
      double fdSigma = (s.sigma(t + h) - s.sigma(t - h)) / (2 * h);
      assertThat(s.alphaDot(t))
          .as("%s: alphaDot(%s) must be dα/dt (central difference %s); override alphaDot(double) with the"
              + " derivative of alpha(double)", s, t, fdAlpha)
          .isCloseTo(fdAlpha, within(1e-6 * Math.max(1, Math.abs(fdAlpha))));
      assertThat(s.sigmaDot(t))
          .as("%s: sigmaDot(%s) must be dσ/dt (central difference %s); override sigmaDot(double) with the"
              + " derivative of sigma(double)", s, t, fdSigma)
          .isCloseTo(fdSigma, within(1e-6 * Math.max(1, Math.abs(fdSigma))));
    }
  }

  /** λ(t) strictly decreasing on a sweep of [tMin, tMax] (the SNR falls as noise is added); g² ≥ 0. */
  public static void assertLambdaDecreasing(Schedule s) {
    double previous = Double.POSITIVE_INFINITY;
    for (int i = 0; i <= SWEEP; i++) {
      double t = sweep(s, i);
      assertThat(s.lambda(t))
          .as("%s: lambda(%s) must be strictly below lambda at the previous point (%s): log(α/σ) must decrease"
              + " from data (t = 0) to noise (t = 1); fix alpha(double)/sigma(double) (or lambda(double) if overridden)",
              s, t, previous)
          .isLessThan(previous);
      previous = s.lambda(t);
    }
    for (int i = 0; i <= SWEEP; i++) {
      double t = sweep(s, i);
      assertThat(s.g2(t))
          .as("%s: g2(%s) must be >= 0 (a realisable diffusion); fix sigmaDot(double) or g2(double)", s, t)
          .isGreaterThanOrEqualTo(0.0);
    }
  }

  /** timeOfLambda(lambda(t)) = t within 10⁻⁹ at interior points and at tMin, tMax. */
  public static void assertLambdaInverse(Schedule s) {
    double[] inner = interior(s, 37);
    double[] ts = new double[inner.length + 2];
    System.arraycopy(inner, 0, ts, 0, inner.length);
    ts[inner.length] = s.tMin();
    ts[inner.length + 1] = s.tMax();
    for (double t : ts) {
      double l = s.lambda(t);
      assertThat(s.timeOfLambda(l))
          .as("%s: timeOfLambda(lambda(%s)) = timeOfLambda(%s) must give t back; fix the closed form in"
              + " timeOfLambda(double) (or remove the override: the default bisects)", s, t, l)
          .isCloseTo(t, within(1e-9));
    }
  }

  /** λ = log(α/σ), σ/α, f = α̇/α and g² = 2(σσ̇ − σ²α̇/α) agree with overrides within 10⁻⁹ relative. */
  public static void assertDerivedQuantities(Schedule s) {
    for (double t : interior(s, 31)) {
      double a = s.alpha(t);
      double sg = s.sigma(t);
      double f = s.alphaDot(t) / a;
      double g2 = 2 * (sg * s.sigmaDot(t) - sg * sg * s.alphaDot(t) / a);
      assertThat(s.lambda(t)).as("%s: lambda(%s) must be log(α/σ); fix lambda(double)", s, t)
          .isCloseTo(Math.log(a / sg), within(1e-10 * Math.max(1, Math.abs(Math.log(a / sg)))));
      assertThat(s.sigmaOverAlpha(t)).as("%s: sigmaOverAlpha(%s) must be σ/α; fix sigmaOverAlpha(double)", s, t)
          .isCloseTo(sg / a, within(1e-10 * Math.max(1, sg / a)));
      assertThat(s.f(t)).as("%s: f(%s) must be α̇/α; fix f(double) (or remove the override)", s, t)
          .isCloseTo(f, within(1e-9 * Math.max(1, Math.abs(f))));
      assertThat(s.g2(t)).as("%s: g2(%s) must be 2(σσ̇ − σ²α̇/α); fix g2(double) (or remove the override)", s, t)
          .isCloseTo(g2, within(1e-9 * Math.max(1, Math.abs(g2))));
    }
  }

  /** The declared boundary holds within 10⁻¹². */
  public static void assertEnd(Schedule s, End end) {
    if (end == End.DATA_AT_ZERO) {
      assertThat(s.alpha(0)).as("%s declares data at t = 0: alpha(0) must be 1; fix alpha(double)", s)
          .isCloseTo(1.0, within(1e-12));
      assertThat(s.sigma(0)).as("%s declares data at t = 0: sigma(0) must be 0; fix sigma(double)", s)
          .isCloseTo(0.0, within(1e-12));
    } else {
      assertThat(s.alpha(1)).as("%s declares pure noise at t = 1: alpha(1) must be 0; fix alpha(double)", s)
          .isCloseTo(0.0, within(1e-12));
      assertThat(s.sigma(1)).as("%s declares pure noise at t = 1: sigma(1) must be > 0; fix sigma(double)", s)
          .isPositive();
    }
  }

  private static double sweep(Schedule s, int i) {
    return i == SWEEP ? s.tMax() : s.tMin() + (s.tMax() - s.tMin()) * i / SWEEP;
  }

  /** n interior times of (tMin, tMax), shifted off round fractions (the knots of tables at k/N). */
  static double[] interior(Schedule s, int n) {
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = s.tMin() + (s.tMax() - s.tMin()) * (i + 0.5 + 0.1 * Math.sqrt(2)) / (n + 0.5);
    }
    return t;
  }
}
