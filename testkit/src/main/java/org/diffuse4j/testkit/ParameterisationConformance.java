package org.diffuse4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.tensor.Tensor;

/**
 * The laws every {@link Parameterisation} keeps, in float64 under VP and rectified flow, on draws
 * of the analytic {@link GaussianMixture#standard2d()} and its exact posterior-mean denoiser:
 * {@code interpret(target(x0, ε, x_t))} gives (x0, ε) back, {@code target(interpret(raw))} gives
 * the raw output back, every interpreted prediction keeps x = α x̂0 + σ ε̂, per-sample (column)
 * times give the scalar-time result, and the network's input and time label are finite from tMin to
 * tMax. {@link #assertConforms} runs them all. Each failure names the method to fix.
 */
public final class ParameterisationConformance {
  private ParameterisationConformance() {}

  /** Rows of the checks. */
  static final int ROWS = 6;

  /** Times of the round trips (interior; the ends are in {@link #assertInputsFinite}). */
  static final double[] TIMES = {0.9, 0.6, 0.3, 0.1, 0.02};

  /** Every law, under VP and rectified flow. */
  public static void assertConforms(Parameterisation p) {
    for (Schedule s : List.of(SolverConformance.vp(), SolverConformance.rectifiedFlow())) {
      assertConforms(p, s);
    }
  }

  /** Every law under one schedule. */
  public static void assertConforms(Parameterisation p, Schedule s) {
    for (double t : TIMES) {
      assertRoundTrips(p, s, t);
      assertColumnsMatchScalars(p, s, t);
    }
    assertInputsFinite(p, s);
  }

  /**
   * On mixture draws x0 and noise ε at time t (x_t = α x0 + σ ε), and on the exact denoiser's
   * (x̂0, ε̂) at that x_t: interpret(target(x0, ε, x_t)) = (x0, ε) and target(interpret(raw)) = raw
   * for an arbitrary raw output, within 10⁻⁹ relative; every interpreted prediction keeps x_t = α x̂0 + σ ε̂.
   */
  public static void assertRoundTrips(Parameterisation p, Schedule s, double t) {
    GaussianMixture gm = GaussianMixture.standard2d();
    double[] x0 = gm.sample(20261204L, 0, ROWS);
    double[] eps = new double[x0.length];
    double[] raw = new double[x0.length];
    for (int i = 0; i < eps.length; i++) {
      eps[i] = CounterNoise.gaussian(20261204L, i / 2, 21, i % 2);
      raw[i] = 2 * CounterNoise.gaussian(20261204L, i / 2, 22, i % 2);
    }
    double a = s.alpha(t);
    double sg = s.sigma(t);
    double[] xt = new double[x0.length];
    for (int i = 0; i < xt.length; i++) {
      xt[i] = a * x0[i] + sg * eps[i];
    }
    List<double[]> out = FlowMapConformance.run(b -> {
      PathPoint pt = PathPoint.at(s, t, b);
      Tensor x = b.constant(xt, ROWS, 2);
      Prediction drawn = p.interpret(p.target(b.constant(x0, ROWS, 2), b.constant(eps, ROWS, 2), x, pt), x, pt);
      Prediction exact = gm.denoiser(s).predict(x, pt, Condition.none());
      Prediction viaExact = p.interpret(p.target(exact.x0(), exact.eps(), x, pt), x, pt);
      Prediction fromRaw = p.interpret(b.constant(raw, ROWS, 2), x, pt);
      Tensor rawBack = p.target(fromRaw.x0(), fromRaw.eps(), x, pt);
      return List.of(drawn.x0(), drawn.eps(), exact.x0(), exact.eps(), viaExact.x0(), viaExact.eps(), rawBack,
          fromRaw.x0().times(a).plus(fromRaw.eps().times(sg)));
    });
    for (int j = 0; j < xt.length; j++) {
      close(out.get(0)[j], x0[j], "%s (%s, t = %s, value %d): interpret(target(x0, eps, xt)).x0() must be x0; make"
          + " interpret(Tensor, Tensor, PathPoint) the inverse of target(Tensor, Tensor, Tensor, PathPoint)", p, s, t, j);
      close(out.get(1)[j], eps[j], "%s (%s, t = %s, value %d): interpret(target(x0, eps, xt)).eps() must be eps; make"
          + " interpret(Tensor, Tensor, PathPoint) the inverse of target(Tensor, Tensor, Tensor, PathPoint)", p, s, t, j);
      close(out.get(4)[j], out.get(2)[j], "%s (%s, t = %s, value %d): on the exact denoiser of the Gaussian mixture,"
          + " interpret(target(x̂0, ε̂, xt)).x0() must be x̂0; fix interpret or target", p, s, t, j);
      close(out.get(5)[j], out.get(3)[j], "%s (%s, t = %s, value %d): on the exact denoiser of the Gaussian mixture,"
          + " interpret(target(x̂0, ε̂, xt)).eps() must be ε̂; fix interpret or target", p, s, t, j);
      close(out.get(6)[j], raw[j], "%s (%s, t = %s, value %d): target(interpret(raw)) must be raw; target(x0, eps, xt, p)"
          + " must be the raw output whose interpret gives (x0, eps)", p, s, t, j);
      close(out.get(7)[j], xt[j], "%s (%s, t = %s, value %d): an interpreted prediction must keep x = α x̂0 + σ ε̂;"
          + " derive ε̂ from x̂0 (or x̂0 from ε̂) in interpret, as Prediction's conversions do", p, s, t, j);
    }
  }

  /** Per-sample times (columns [B, 1], as in training) give the scalar-time interpret, target and input. */
  public static void assertColumnsMatchScalars(Parameterisation p, Schedule s, double t) {
    double[] x = {0.3, -1.2, 2.5, 0.7, -0.4, 0.0};
    double[] raw = {1.0, 2.0, -3.0, 0.5, 0.25, -0.75};
    double[] times = {t, t, t};
    List<double[]> out = FlowMapConformance.run(b -> {
      Tensor xt = b.constant(x, 3, 2);
      Tensor r = b.constant(raw, 3, 2);
      PathPoint scalar = PathPoint.at(s, t, b);
      PathPoint column = PathPoint.columns(s, times, b);
      Prediction ps = p.interpret(r, xt, scalar);
      Prediction pc = p.interpret(r, xt, column);
      return List.of(ps.x0(), pc.x0(), p.target(ps.x0(), ps.eps(), xt, scalar), p.target(ps.x0(), ps.eps(), xt, column),
          p.networkInput(xt, scalar), p.networkInput(xt, column));
    });
    String[] what = {"interpret(...).x0()", "target(...)", "networkInput(...)"};
    String[] fix = {"interpret(Tensor, Tensor, PathPoint)", "target(Tensor, Tensor, Tensor, PathPoint)",
        "networkInput(Tensor, PathPoint)"};
    for (int k = 0; k < 3; k++) {
      for (int j = 0; j < x.length; j++) {
        close(out.get(2 * k + 1)[j], out.get(2 * k)[j], "%s (%s, t = %s, value %d): %s with per-sample times (columns"
            + " [B, 1]) must equal the scalar-time result; broadcast the path point's α, σ, t against x's rows in %s",
            p, s, t, j, what[k], fix[k]);
      }
    }
  }

  /** networkInput and networkTime are finite at tMin, tMax and in between. */
  public static void assertInputsFinite(Parameterisation p, Schedule s) {
    double[] x = {0.3, -1.2, 2.5, 0.7, -0.4, 0.0};
    for (double t : new double[] {s.tMin(), 0.5 * (s.tMin() + s.tMax()), s.tMax()}) {
      List<double[]> out = FlowMapConformance.run(b -> {
        PathPoint pt = PathPoint.at(s, t, b);
        return List.of(p.networkInput(b.constant(x, 3, 2), pt), p.networkTime(pt).reshape(-1));
      });
      for (double v : out.get(0)) {
        assertThat(Double.isFinite(v)).as("%s (%s, t = %s): networkInput must be finite from tMin to tMax; fix"
            + " networkInput(Tensor, PathPoint)", p, s, t).isTrue();
      }
      for (double v : out.get(1)) {
        assertThat(Double.isFinite(v)).as("%s (%s, t = %s): networkTime must be finite from tMin to tMax; fix"
            + " networkTime(PathPoint)", p, s, t).isTrue();
      }
    }
  }

  private static void close(double got, double want, String message, Object... args) {
    assertThat(got).as(message, args).isCloseTo(want, within(1e-9 * (1 + Math.abs(want))));
  }
}
