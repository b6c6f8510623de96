package org.diffuse4j.guidance;

import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.tensor.Tensor;

/**
 * The guidance strength over time, shared by every method that has a scale: w(t) = 1 + (w − 1)·k(t)
 * inside the guidance interval and 1 (the conditional model) outside it (Kynkäänniemi et al. 2024,
 * "Applying guidance in a limited interval improves sample and distribution quality"). The shape k
 * averages 1 over t ∈ [0, 1]: constant k = 1, linear k = 2(1 − t) (strongest near the data),
 * cosine k = 1 − cos(π(1 − t)) (Wang et al. 2024, "Analysis of classifier-free guidance weight
 * schedulers"). The interval [lo, hi] is closed and measured in t or in the noise ratio σ/α (the σ
 * of EDM, in which the interval paper states its values).
 *
 * @param scale w; w = 1 is the conditional model in every method using this class
 * @param shape k(t)
 * @param lo lower end of the interval (inclusive)
 * @param hi upper end of the interval (inclusive; may be +∞ for the noise ratio)
 * @param variable what lo and hi measure
 */
public record ScaleSchedule(double scale, Shape shape, double lo, double hi, Variable variable) {

  /** The shape k(t) of the scale over time. */
  public enum Shape {
    CONSTANT,
    LINEAR,
    COSINE
  }

  /** The variable the guidance interval is measured in. */
  public enum Variable {
    /** The time t ∈ [0, 1] (data at 0). */
    T,
    /** The noise-to-signal ratio σ/α (EDM's σ). */
    NOISE_RATIO
  }

  public ScaleSchedule {
    if (!Double.isFinite(scale)) {
      throw new IllegalArgumentException("guidance scale must be finite, got " + scale);
    }
    if (shape == null || variable == null) {
      throw new IllegalArgumentException("guidance schedule needs a shape and an interval variable");
    }
    if (Double.isNaN(lo) || Double.isNaN(hi) || lo < 0) {
      throw new IllegalArgumentException("guidance interval needs 0 <= t_lo, got t_lo = " + lo);
    }
    if (lo > hi) {
      throw new IllegalArgumentException(
          "guidance interval is empty: t_lo = " + lo + " > t_hi = " + hi + "; it needs t_lo <= t_hi");
    }
  }

  /** A constant scale applied at every time. */
  public static ScaleSchedule constant(double scale) {
    return new ScaleSchedule(scale, Shape.CONSTANT, 0, Double.POSITIVE_INFINITY, Variable.T);
  }

  /** The same schedule with the interval [lo, hi] in t. */
  public ScaleSchedule withInterval(double lo, double hi) {
    return new ScaleSchedule(scale, shape, lo, hi, Variable.T);
  }

  /** Whether the interval covers every time (no select is built). */
  public boolean everywhere() {
    return lo <= 0 && (variable == Variable.T ? hi >= 1 : hi == Double.POSITIVE_INFINITY);
  }

  /** Whether w(t) = 1 at every time: the guidance is then the conditional model. */
  public boolean isIdentity() {
    return scale == 1.0;
  }

  /** 1 where the path point lies in the interval, 0 elsewhere (a scalar or per-sample column). */
  public Tensor inside(PathPoint p) {
    Tensor one = p.t().backend().scalar(1);
    if (everywhere()) {
      return one;
    }
    Tensor v = variable == Variable.T ? p.t() : p.sigma().div(p.alpha());
    Tensor margin = v.minus(lo);
    if (hi != Double.POSITIVE_INFINITY) {
      margin = margin.min(v.rsub(hi));
    }
    // margin >= 0 inside: select 0 where −margin > 0
    return margin.neg().wherePositive(one.zerosLike(), one);
  }

  /** k(t) as a tensor. */
  public Tensor shape(PathPoint p) {
    Tensor t = p.t();
    return switch (shape) {
      case CONSTANT -> t.backend().scalar(1);
      case LINEAR -> t.rsub(1).times(2);
      case COSINE -> t.rsub(1).times(Math.PI).cos().rsub(1);
    };
  }

  /** w(t) = 1 + (w − 1)·k(t)·inside(t). */
  public Tensor at(PathPoint p) {
    if (shape == Shape.CONSTANT && everywhere()) {
      return p.t().backend().scalar(scale);
    }
    return shape(p).times(inside(p)).times(scale - 1).plus(1);
  }
}
