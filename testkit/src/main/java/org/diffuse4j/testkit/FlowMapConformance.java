package org.diffuse4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.FlowMap;
import org.diffuse4j.api.FlowMapNetwork;
import org.diffuse4j.api.FlowMapParameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.analytic.GaussianFlowMap;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.analytic.ReferenceSolution;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * The conformance checks every flow-map plugin (ours or a third party's) should pass, in float64:
 * a {@link FlowMapParameterisation} through {@link #assertConforms(FlowMapParameterisation)}, a
 * flow-map model of known data through {@link #assertExactOnGaussian} and {@link #assertMatchesOde}.
 * The references are the exact Gaussian map Ψ_{s→t}(x) = α_t m + (τ_t/τ_s)(x − α_s m) (seed 001
 * T10) and the {@link ReferenceSolution} of the probability-flow ODE of a {@link GaussianMixture}.
 * Each failure says what to fix.
 */
public final class FlowMapConformance {
  private FlowMapConformance() {}

  /** The Gaussian data of the checks: N((1.5, −0.5), 0.7² I). */
  public static GaussianFlowMap gaussian() {
    return new GaussianFlowMap(new double[] {1.5, -0.5}, 0.7);
  }

  /** (s, t) pairs of the checks: long and short jumps, from near noise to near data. */
  static final double[][] PAIRS = {{0.95, 0.05}, {0.8, 0.4}, {0.5, 0.45}, {0.3, 0.03}};

  /** Rows of x the checks use (3 points in 2-D, row-major). */
  static final double[] X = {0.3, -1.2, 2.5, 0.7, -0.4, 0.0};

  /**
   * Runs every check on a parameterisation: the boundary with random networks, {@code target}
   * inverting {@code jump}, and the exact Gaussian map seen through it (raw output = its target)
   * staying exact and a semigroup, under VP and rectified flow, with scalar and per-sample times.
   */
  public static void assertConforms(FlowMapParameterisation p) {
    for (Schedule sch : List.of(SolverConformance.vp(), SolverConformance.rectifiedFlow())) {
      assertBoundary(p, sch);
      assertTargetInvertsJump(p, sch);
      assertExactOnGaussian(exactThrough(p, gaussian()), gaussian(), sch, 1e-9);
    }
  }

  /** A random two-time MLP [x, s, t] → tanh(32) → dim (weights from {@link CounterNoise} with {@code seed}). */
  public static FlowMapNetwork randomNetwork(Backend b, int dim, long seed) {
    int in = dim + 2;
    double[] w1 = new double[in * 32];
    double[] w2 = new double[32 * dim];
    for (int i = 0; i < w1.length; i++) {
      w1[i] = CounterNoise.gaussian(seed, 11, 0, i);
    }
    for (int i = 0; i < w2.length; i++) {
      w2[i] = 3 * CounterNoise.gaussian(seed, 12, 0, i) / Math.sqrt(32);
    }
    Tensor a = b.constant(w1, in, 32);
    Tensor c = b.constant(w2, 32, dim);
    return (x, s, t, cond) -> {
      Tensor zeros = x.mean(1).reshape(-1, 1).zerosLike();
      return x.concat(1, zeros.plus(s), zeros.plus(t)).matmul(a).tanh().matmul(c);
    };
  }

  /** G(x, s, s) = x within 1e-12 for three random networks at s = 0.9, 0.3, 0.05. */
  public static void assertBoundary(FlowMapParameterisation p, Schedule sch) {
    for (long seed = 1; seed <= 3; seed++) {
      long sd = seed;
      for (double s : new double[] {0.9, 0.3, 0.05}) {
        double[] out = run(b -> List.of(p.flowMap(randomNetwork(b, 2, sd), Condition.none())
            .jump(b.constant(X, 3, 2), PathPoint.at(sch, s, b), PathPoint.at(sch, s, b)))).get(0);
        for (int j = 0; j < X.length; j++) {
          assertThat(out[j])
              .as("%s: G(x, s, s) must be x for any weights (random network %d, s = %s, %s, value %d); build the"
                  + " boundary into the form, as CTM's (t/s)x + (1 − t/s)g or MeanFlow's x + (t − s)h (docs/few-step.md)",
                  p, sd, s, sch, j)
              .isCloseTo(X[j], within(1e-12 * (1 + Math.abs(X[j]))));
        }
      }
    }
  }

  /** jump(target(y)) = y for arbitrary y and t ≠ s. */
  public static void assertTargetInvertsJump(FlowMapParameterisation p, Schedule sch) {
    double[] y = {1.0, 2.0, -3.0, 0.5, 0.25, -0.75};
    for (double[] st : PAIRS) {
      double[] out = run(b -> {
        PathPoint s = PathPoint.at(sch, st[0], b);
        PathPoint t = PathPoint.at(sch, st[1], b);
        Tensor x = b.constant(X, 3, 2);
        return List.of(p.jump(p.target(b.constant(y, 3, 2), x, s, t), x, s, t));
      }).get(0);
      for (int j = 0; j < y.length; j++) {
        assertThat(out[j])
            .as("%s: jump(target(y)) must give y back (%s, s = %s, t = %s, value %d); target is the raw output"
                + " whose jump is y, the regression target of distillation: solve jump's formula for the raw output",
                p, sch, st[0], st[1], j)
            .isCloseTo(y[j], within(1e-9 * (1 + Math.abs(y[j]))));
      }
    }
  }

  /** The flow map a network would be if its raw output were exactly the parameterisation's target for Gaussian data. */
  public static FlowMap exactThrough(FlowMapParameterisation p, GaussianFlowMap data) {
    return (x, s, t) -> p.jump(p.target(data.flowMap().jump(x, s, t), x, s, t), x, s, t);
  }

  /**
   * A flow-map model of the Gaussian data {@code data}: G(x, s, t) equals Ψ_{s→t}(x) within
   * {@code tol} on {@link #PAIRS}, also with per-sample (column) times, and G(G(x, s, u), u, t) = G(x, s, t).
   */
  public static void assertExactOnGaussian(FlowMap model, GaussianFlowMap data, Schedule sch, double tol) {
    for (double[] st : PAIRS) {
      double s = st[0];
      double t = st[1];
      double u = 0.5 * (s + t);
      List<double[]> out = run(b -> {
        Tensor x = b.constant(X, 3, 2);
        PathPoint ps = PathPoint.at(sch, s, b);
        PathPoint pt = PathPoint.at(sch, t, b);
        Tensor direct = model.jump(x, ps, pt);
        Tensor twice = model.jump(model.jump(x, ps, PathPoint.at(sch, u, b)), PathPoint.at(sch, u, b), pt);
        return List.of(direct, twice, model.jump(x, column(sch, s, b), column(sch, t, b)));
      });
      double[] exact = data.jump(sch, X, s, t);
      for (int j = 0; j < X.length; j++) {
        assertThat(out.get(0)[j])
            .as("%s: G(x, s, t) against the exact Gaussian flow map α_t m + (τ_t/τ_s)(x − α_s m) (%s, s = %s → t = %s,"
                + " value %d); check the clock (data at t = 0, noise at t = 1, the jump goes from s to t < s) and the"
                + " sign of (t − s)", model, sch, s, t, j)
            .isCloseTo(exact[j], within(tol * (1 + Math.abs(exact[j]))));
        assertThat(out.get(1)[j])
            .as("%s: semigroup G(G(x, s, u), u, t) = G(x, s, t) (%s, s = %s, u = %s, t = %s, value %d); the two jumps"
                + " of a flow map compose", model, sch, s, u, t, j)
            .isCloseTo(out.get(0)[j], within(tol * (1 + Math.abs(exact[j]))));
        assertThat(out.get(2)[j])
            .as("%s: per-sample times (columns [B, 1], as in training) must give the scalar-time jump (%s, value %d);"
                + " broadcast the path point's α, σ and t against x's rows", model, sch, j)
            .isCloseTo(out.get(0)[j], within(1e-12 * (1 + Math.abs(exact[j]))));
      }
    }
  }

  /**
   * A flow-map model of a Gaussian mixture: from exact draws of q_s, G(x, s, t) is within
   * {@code tol} (RMS over rows) of the {@link ReferenceSolution} of the probability-flow ODE.
   *
   * @return the RMS error of each (s, t) pair of {@link #PAIRS}
   */
  public static double[] assertMatchesOde(FlowMap model, GaussianMixture gm, Schedule sch, double tol) {
    int rows = 16;
    int d = gm.dim();
    double[] errors = new double[PAIRS.length];
    for (int k = 0; k < PAIRS.length; k++) {
      double s = PAIRS[k][0];
      double t = PAIRS[k][1];
      double[] x = gm.at(sch, s).sample(20261204L, 0, rows);
      double[] ref = ReferenceSolution.solve(gm, sch, s, t, x);
      double[] out = run(b -> List.of(model.jump(b.constant(x, rows, d), PathPoint.at(sch, s, b), PathPoint.at(sch, t, b))))
          .get(0);
      double sq = 0;
      for (int i = 0; i < x.length; i++) {
        sq += (out[i] - ref[i]) * (out[i] - ref[i]);
      }
      errors[k] = Math.sqrt(sq / rows);
      assertThat(errors[k])
          .as("%s: RMS distance to the probability-flow ODE's end points on the mixture (%s, s = %s → t = %s); a flow"
              + " map must follow the ODE dx/dt = α̇ x̂0 + σ̇ ε̂ of the data, not jump to the posterior mean", model, sch, s, t)
          .isLessThan(tol);
    }
    return errors;
  }

  private static PathPoint column(Schedule sch, double t, Backend b) {
    return PathPoint.columns(sch, new double[] {t, t, t}, b);
  }


  /** Evaluates graph tensors built by {@code build} in a fresh float64 graph; each as a flat array. */
  static List<double[]> run(Function<Backend, List<Tensor>> build) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      List<Tensor> outs = build.apply(b);
      Session.Runner runner = s.runner();
      List<org.tensorflow.Output<?>> fetched = new ArrayList<>(); // each output once: a session fetches a name once
      int[] slot = new int[outs.size()];
      for (int i = 0; i < outs.size(); i++) {
        org.tensorflow.Output<?> o = outs.get(i).op().asOutput();
        slot[i] = fetched.indexOf(o);
        if (slot[i] < 0) {
          slot[i] = fetched.size();
          fetched.add(o);
          runner.fetch(o);
        }
      }
      List<double[]> values = new ArrayList<>();
      try (Result results = runner.run()) {
        for (int i = 0; i < outs.size(); i++) {
          TFloat64 r = (TFloat64) results.get(slot[i]);
          double[] row = new double[(int) r.shape().size()];
          int[] k = {0};
          r.scalars().forEach(sc -> row[k[0]++] = sc.getDouble());
          values.add(row);
        }
      }
      return values;
    }
  }
}
