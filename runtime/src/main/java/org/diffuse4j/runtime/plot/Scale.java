package org.diffuse4j.runtime.plot;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One plot axis: a data range, linear or logarithmic, with "nice" tick positions (1, 2, 5 × 10^k
 * steps on a linear axis, powers of ten on a log axis) and their labels.
 */
final class Scale {
  final double min;
  final double max;
  final boolean log;

  private Scale(double min, double max, boolean log) {
    this.min = min;
    this.max = max;
    this.log = log;
  }

  /**
   * A scale covering [lo, hi] with a small margin. On a log axis lo and hi must be positive. A
   * degenerate range (lo == hi) is widened so that it can still be drawn.
   */
  static Scale of(double lo, double hi, boolean log) {
    if (log) {
      double a = Math.log10(lo);
      double b = Math.log10(hi);
      if (b - a < 1e-9) {
        a -= 0.5;
        b += 0.5;
      }
      double pad = 0.03 * (b - a);
      return new Scale(Math.pow(10, a - pad), Math.pow(10, b + pad), true);
    }
    if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
      double w = Math.max(1e-3, Math.abs(hi) * 0.1);
      lo -= w;
      hi += w;
    }
    double pad = 0.05 * (hi - lo);
    return new Scale(lo - pad, hi + pad, false);
  }

  /** A linear scale over exactly [min, max], no margin added. */
  static Scale exact(double min, double max) {
    return new Scale(min, max, false);
  }

  /** Where v lies along the axis: 0 at min, 1 at max. */
  double fraction(double v) {
    if (log) {
      return (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
    }
    return (v - min) / (max - min);
  }

  /** Whether v can be drawn on this axis (finite, and positive on a log axis). */
  boolean accepts(double v) {
    return Double.isFinite(v) && (!log || v > 0);
  }

  /** Tick positions inside [min, max]. */
  List<Double> ticks() {
    if (log) {
      List<Double> out = new ArrayList<>();
      int lo = (int) Math.ceil(Math.log10(min) - 1e-9);
      int hi = (int) Math.floor(Math.log10(max) + 1e-9);
      int stride = Math.max(1, (hi - lo + 1) / 8); // at most ~8 labelled decades
      for (int k = lo; k <= hi; k += stride) {
        out.add(Math.pow(10, k));
      }
      if (out.size() >= 2) {
        return out;
      }
      // Less than a decade: also label 2× and 5× multiples.
      out.clear();
      for (int k = lo - 1; k <= hi; k++) {
        for (int m : new int[] {1, 2, 5}) {
          double v = m * Math.pow(10, k);
          if (v >= min && v <= max) {
            out.add(v);
          }
        }
      }
      return out.size() >= 2 ? out : linearTicks();
    }
    return linearTicks();
  }

  /** Unlabelled minor ticks: 2..9 × 10^k on a log axis spanning at most ~6 decades, else none. */
  List<Double> minorTicks() {
    List<Double> out = new ArrayList<>();
    if (!log || Math.log10(max) - Math.log10(min) > 6) {
      return out;
    }
    for (int k = (int) Math.floor(Math.log10(min)); k <= (int) Math.ceil(Math.log10(max)); k++) {
      for (int m = 2; m <= 9; m++) {
        double v = m * Math.pow(10, k);
        if (v >= min && v <= max) {
          out.add(v);
        }
      }
    }
    return out;
  }

  private List<Double> linearTicks() {
    double step = niceStep((max - min) / 6);
    List<Double> out = new ArrayList<>();
    for (long k = (long) Math.ceil(min / step); k * step <= max + step * 1e-9; k++) {
      out.add(k * step);
    }
    return out;
  }

  /** The smallest 1, 2 or 5 × 10^k that is at least {@code rough}. */
  static double niceStep(double rough) {
    double power = Math.pow(10, Math.floor(Math.log10(rough)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * power >= rough * (1 - 1e-9)) {
        return m * power;
      }
    }
    return 10 * power;
  }

  /** A short label: "0.25", "3", "1e-5", "2.5e6". */
  static String label(double v) {
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    if (a >= 1e5 || a < 1e-3) {
      String[] parts = String.format(Locale.ROOT, "%.2e", v).split("e");
      String mantissa = new BigDecimal(parts[0]).stripTrailingZeros().toPlainString();
      int exponent = Integer.parseInt(parts[1]);
      return mantissa + "e" + exponent;
    }
    return new BigDecimal(String.format(Locale.ROOT, "%.6g", v)).stripTrailingZeros().toPlainString();
  }
}
