package org.diffuse4j.schedules.flowmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.function.Function;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.FlowMap;
import org.diffuse4j.api.FlowMapNetwork;
import org.diffuse4j.api.FlowMapParameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.analytic.GaussianFlowMap;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.schedules.EdmSchedule;
import org.diffuse4j.schedules.RectifiedFlow;
import org.diffuse4j.schedules.VariancePreserving;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/** Seed 001 T11–T12 for the two-time parameterisations: boundary, CTM and MeanFlow identities, CM scalings. */
class FlowMapParameterisationTest {

  static final Schedule RF = new RectifiedFlow();
  static final Schedule VP = new VariancePreserving(0.1, 20);
  static final Schedule EDM = new EdmSchedule(0.002, 80, 7);
  static final List<FlowMapParameterisation> ALL =
      List.of(new CtmParameterisation(), new MeanFlowParameterisation(), new ConsistencyParameterisation(0.5, 0.002));

  /** Evaluates graph tensors in a fresh float64 graph. */
  static double[][] run(Function<Backend, List<Tensor>> build) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      List<Tensor> outs = build.apply(b);
      var runner = s.runner();
      outs.forEach(t -> runner.fetch(t.op()));
      var results = runner.run();
      double[][] v = new double[outs.size()][];
      for (int i = 0; i < outs.size(); i++) {
        try (TFloat64 r = (TFloat64) results.get(i)) {
          double[] row = new double[(int) r.shape().size()];
          int[] k = {0};
          r.scalars().forEach(sc -> row[k[0]++] = sc.getDouble());
          v[i] = row;
        }
      }
      return v;
    }
  }

  /** A random two-time MLP [x, s, t] → tanh(32) → dim, weights from CounterNoise with {@code seed}. */
  static FlowMapNetwork randomNetwork(Backend b, int dim, long seed) {
    int in = dim + 2;
    double[] w1 = new double[in * 32];
    double[] w2 = new double[32 * dim];
    for (int i = 0; i < w1.length; i++) {
      w1[i] = CounterNoise.gaussian(seed, 1, 0, i);
    }
    for (int i = 0; i < w2.length; i++) {
      w2[i] = CounterNoise.gaussian(seed, 2, 0, i) / Math.sqrt(32);
    }
    Tensor a = b.constant(w1, in, 32);
    Tensor c = b.constant(w2, 32, dim);
    return (x, s, t, cond) -> {
      Tensor zeros = x.mean(1).reshape(-1, 1).zerosLike();
      Tensor h = x.concat(1, zeros.plus(s), zeros.plus(t));
      return h.matmul(a).tanh().matmul(c).times(3);
    };
  }

  static final double[] X = {0.3, -1.2, 2.5, 0.7, -0.4, 0.0};

  @Test
  void boundaryHoldsForAnyWeights() {
    for (FlowMapParameterisation p : ALL) {
      for (Schedule sch : new Schedule[] {RF, VP, EDM}) {
        for (long seed = 1; seed <= 3; seed++) {
          long sd = seed;
          double[][] out = run(b -> {
            FlowMap g = p.flowMap(randomNetwork(b, 2, sd), Condition.none());
            Tensor x = b.constant(X, 3, 2);
            return List.of(
                g.jump(x, PathPoint.at(sch, 0.9, b), PathPoint.at(sch, 0.9, b)),
                g.jump(x, PathPoint.at(sch, 0.05, b), PathPoint.at(sch, 0.05, b)),
                // the raw output is not trivially small: a jump elsewhere moves x
                g.jump(x, PathPoint.at(sch, 0.9, b), PathPoint.at(sch, 0.3, b)));
          });
          for (int j = 0; j < X.length; j++) {
            assertThat(out[0][j]).as("%s on %s", p, sch).isCloseTo(X[j], within(1e-12));
            assertThat(out[1][j]).as("%s on %s", p, sch).isCloseTo(X[j], within(1e-12));
          }
          double moved = 0;
          for (int j = 0; j < X.length; j++) {
            moved += Math.abs(out[2][j] - X[j]);
          }
          assertThat(moved).as("%s moves x on a real jump", p).isGreaterThan(1e-2);
        }
      }
    }
  }

  @Test
  void targetInvertsTheJump() {
    double[] end = {1.0, 2.0, -3.0, 0.5, 0.25, -0.75};
    for (FlowMapParameterisation p : ALL) {
      for (Schedule sch : new Schedule[] {RF, VP, EDM}) {
        double[][] out = run(b -> {
          PathPoint s = PathPoint.at(sch, 0.8, b);
          PathPoint t = PathPoint.at(sch, 0.2, b);
          Tensor x = b.constant(X, 3, 2);
          return List.of(p.jump(p.target(b.constant(end, 3, 2), x, s, t), x, s, t));
        });
        for (int j = 0; j < end.length; j++) {
          assertThat(out[0][j]).as("%s on %s", p, sch).isCloseTo(end[j], within(1e-9));
        }
      }
    }
  }

  /** Gaussian data N(1.5, 0.7²) in one dimension (seed 001 T10). */
  final GaussianFlowMap gauss = new GaussianFlowMap(new double[] {1.5}, 0.7);

  @Test
  void ctmGAtEqualTimesIsXMinusSTimesVelocity() {
    // seed 001 L193: g(x, s, s) = x − s v(x, s); the exact g at t = s − δ differs by O(δ)
    CtmParameterisation ctm = new CtmParameterisation();
    double[] x = {0.3, -1.0, 2.2};
    for (Schedule sch : new Schedule[] {RF, VP}) {
      for (double s : new double[] {0.8, 0.3}) {
        double delta = 1e-6;
        double[] end = gauss.jump(sch, x, s, s - delta);
        double[][] g = run(b -> List.of(ctm.target(b.constant(end, 3, 1), b.constant(x, 3, 1),
            PathPoint.at(sch, s, b), PathPoint.at(sch, s - delta, b))));
        double[] v = gauss.velocity(sch, s, x);
        for (int i = 0; i < 3; i++) {
          assertThat(g[0][i]).as("%s s=%s", sch, s).isCloseTo(x[i] - s * v[i], within(1e-4 * (1 + Math.abs(v[i]))));
        }
      }
    }
  }

  @Test
  void ctmWithTheDenoisedEstimateIsDdimOnSigmaEqualsTPathsOnly() {
    // seed 001 T13: on σ_t = t paths (rectified flow) G with g = x̂0 is DDIM's step; not under VP
    CtmParameterisation ctm = new CtmParameterisation();
    double x0 = 0.9;
    double[] x = {0.3, -1.0, 2.2};
    for (Schedule sch : new Schedule[] {RF, VP}) {
      double s = 0.7;
      double t = 0.2;
      double[][] out = run(b -> {
        Tensor xs = b.constant(x, 3, 1);
        Tensor x0hat = xs.zerosLike().plus(x0);
        return List.of(ctm.jump(x0hat, xs, PathPoint.at(sch, s, b), PathPoint.at(sch, t, b)));
      });
      double maxGap = 0;
      for (int i = 0; i < 3; i++) {
        double eps = (x[i] - sch.alpha(s) * x0) / sch.sigma(s);
        double ddim = sch.alpha(t) * x0 + sch.sigma(t) * eps;
        maxGap = Math.max(maxGap, Math.abs(out[0][i] - ddim));
      }
      if (sch == RF) {
        assertThat(maxGap).isLessThan(1e-12);
      } else {
        assertThat(maxGap).isGreaterThan(1e-2);
      }
    }
  }

  @Test
  void meanFlowIdentityHoldsOnTheExactMap() {
    // seed 001 L205 in our clock: h(x, s, t) = v(x, s) − (s − t)(∂ₓh · v + ∂ₛh), h from the plugin's
    // target of the exact Gaussian map, derivatives by central differences
    MeanFlowParameterisation mf = new MeanFlowParameterisation();
    double d = 1e-5;
    for (Schedule sch : new Schedule[] {RF, VP}) {
      for (double[] st : new double[][] {{0.8, 0.1}, {0.5, 0.3}, {0.9, 0.02}}) {
        double s = st[0];
        double t = st[1];
        double x = 0.4;
        double[][] h = run(b -> {
          PathPoint pt = PathPoint.at(sch, t, b);
          java.util.ArrayList<Tensor> outs = new java.util.ArrayList<>();
          double[][] pts = {{x, s}, {x + d, s}, {x - d, s}, {x, s + d}, {x, s - d}};
          for (double[] q : pts) {
            double[] end = gauss.jump(sch, new double[] {q[0]}, q[1], t);
            outs.add(mf.target(b.constant(end, 1, 1), b.constant(new double[] {q[0]}, 1, 1), PathPoint.at(sch, q[1], b), pt));
          }
          return outs;
        });
        double hx = (h[1][0] - h[2][0]) / (2 * d);
        double hs = (h[3][0] - h[4][0]) / (2 * d);
        double v = gauss.velocity(sch, s, new double[] {x})[0];
        double rhs = v - (s - t) * (hx * v + hs);
        assertThat(h[0][0]).as("%s s=%s t=%s", sch, s, t).isCloseTo(rhs, within(1e-6 * (1 + Math.abs(v))));
      }
    }
  }

  @Test
  void ctmAndMeanFlowAreOneMapWithHEqualsXMinusGOverS() {
    // seed 001 L211–217: with h_θ := (x − g_θ)/s the two forms give the same G, and the errors
    // against the exact map scale as ‖G − Ψ‖ = ((s − t)/s)‖g_θ − g‖ = |t − s| ‖h_θ − h‖
    CtmParameterisation ctm = new CtmParameterisation();
    MeanFlowParameterisation mf = new MeanFlowParameterisation();
    double s = 0.75;
    double t = 0.3;
    double[] x = {0.3, -1.0, 2.2};
    double[] psi = gauss.jump(RF, x, s, t);
    double[][] out = run(b -> {
      PathPoint ps = PathPoint.at(RF, s, b);
      PathPoint pt = PathPoint.at(RF, t, b);
      Tensor xs = b.constant(x, 3, 1);
      Tensor gTheta = randomNetwork(b, 1, 7).jump(xs, ps.t(), pt.t(), Condition.none());
      Tensor hTheta = xs.minus(gTheta).div(s);
      Tensor exact = b.constant(psi, 3, 1);
      return List.of(ctm.jump(gTheta, xs, ps, pt), mf.jump(hTheta, xs, ps, pt),
          gTheta.minus(ctm.target(exact, xs, ps, pt)), hTheta.minus(mf.target(exact, xs, ps, pt)));
    });
    for (int i = 0; i < 3; i++) {
      assertThat(out[1][i]).isCloseTo(out[0][i], within(1e-12));
      double gap = out[0][i] - psi[i];
      assertThat(gap).isCloseTo((s - t) / s * out[2][i], within(1e-12));
      assertThat(Math.abs(gap)).isCloseTo(Math.abs((t - s) * out[3][i]), within(1e-12));
    }
  }

  @Test
  void consistencyScalingsAreDiffusersAndTheBoundaryIsX() {
    // c_skip, c_out of diffusers' CMStochasticIterativeScheduler.get_scalings_for_boundary_condition
    // (sigma_min 0.002, sigma_data 0.5), run in float64 on σ = 0.5, 1, 80 (diffusers 58eb52c)
    double[][] ref = {{0.5, 0.5020039999678717, 0.35213917703090064}, {1.0, 0.2006414104609616, 0.446319168308958},
        {80.0, 3.90629272263522e-05, 0.49997773490522646}};
    ConsistencyParameterisation cm = new ConsistencyParameterisation(0.5, 0.002);
    for (double[] r : ref) {
      double t = Math.pow(r[0] / 80, 1.0 / 7); // EDM schedule: σ = 80 t^7, α = 1
      double[][] c = run(b -> List.of(cm.cSkip(PathPoint.at(EDM, t, b)), cm.cOut(PathPoint.at(EDM, t, b))));
      assertThat(c[0][0]).isCloseTo(r[1], within(1e-12));
      assertThat(c[1][0]).isCloseTo(r[2], within(1e-12));
    }
    // f(x, t_min) = x where σ = σ_min, for any network, and the jump to σ_min is f itself
    double tMin = EDM.tMin();
    assertThat(EDM.sigma(tMin)).isCloseTo(0.002, within(1e-12));
    double[][] out = run(b -> {
      FlowMapNetwork net = randomNetwork(b, 2, 5);
      Tensor x = b.constant(X, 3, 2);
      PathPoint pmin = PathPoint.at(EDM, tMin, b);
      PathPoint s = PathPoint.at(EDM, 0.6, b);
      Tensor raw = net.jump(cm.networkInput(x, s), cm.networkTime(s), cm.networkTime(pmin), Condition.none());
      Tensor rawMin = net.jump(cm.networkInput(x, pmin), cm.networkTime(pmin), cm.networkTime(pmin), Condition.none());
      return List.of(cm.consistency(rawMin, x, pmin), cm.jump(raw, x, s, pmin), cm.consistency(raw, x, s));
    });
    for (int j = 0; j < X.length; j++) {
      assertThat(out[0][j]).isCloseTo(X[j], within(1e-12));
      assertThat(out[1][j]).isCloseTo(out[2][j], within(1e-12));
    }
  }

  @Test
  void diagonalPredictsThePosteriorMeanFromTheExactVelocity() {
    // data N(m, c²): at x_s the posterior mean is m + (α c²/τ²)(x − α m), τ² = α²c² + σ² (closed form);
    // meanflow's raw output at (x, s, s) is v itself, CTM's is g = x − s·v
    double[] x = {0.3, -1.0, 2.2};
    double m = gauss.mean()[0];
    double c = gauss.std();
    for (Schedule sch : new Schedule[] {RF, VP}) {
      for (double s : new double[] {0.8, 0.3}) {
        double[] v = gauss.velocity(sch, s, x);
        double[] g = new double[3];
        for (int i = 0; i < 3; i++) {
          g[i] = x[i] - s * v[i];
        }
        double[][] out = run(b -> {
          PathPoint p = PathPoint.at(sch, s, b);
          Tensor xt = b.constant(x, 3, 1);
          return List.of(new MeanFlowParameterisation().diagonal().interpret(b.constant(v, 3, 1), xt, p).x0(),
              new CtmParameterisation().diagonal().interpret(b.constant(g, 3, 1), xt, p).x0());
        });
        double a = sch.alpha(s);
        double tau2 = a * a * c * c + sch.sigma(s) * sch.sigma(s);
        for (int i = 0; i < 3; i++) {
          double posterior = m + a * c * c / tau2 * (x[i] - a * m);
          assertThat(out[0][i]).as("meanflow %s s=%s", sch, s).isCloseTo(posterior, within(1e-12));
          assertThat(out[1][i]).as("ctm %s s=%s", sch, s).isCloseTo(posterior, within(1e-12));
        }
      }
    }
  }

  @Test
  void averageVelocityIsTheJumpsSlopeAndStaysDefinedAtEqualTimes() {
    // u = (G − x)/(t − s) for t ≠ s for any raw output; meanflow's and CTM's forms also hold at t = s
    double[] x = {0.3, -1.0, 2.2};
    double[] raw = {1.7, 0.2, -0.9};
    for (FlowMapParameterisation fm : List.of(new MeanFlowParameterisation(), new CtmParameterisation())) {
      double[][] out = run(b -> {
        PathPoint s = PathPoint.at(VP, 0.7, b);
        PathPoint t = PathPoint.at(VP, 0.2, b);
        Tensor xt = b.constant(x, 3, 1);
        Tensor r = b.constant(raw, 3, 1);
        // (× 2: meanflow's u is the raw tensor itself, and a session fetches each tensor once)
        return List.of(fm.averageVelocity(r, xt, s, t).times(2), fm.jump(r, xt, s, t).minus(xt).div(-0.25),
            fm.averageVelocity(r, xt, s, s).times(3));
      });
      for (int i = 0; i < 3; i++) {
        assertThat(out[0][i]).as("%s", fm).isCloseTo(out[1][i], within(1e-12));
        assertThat(Double.isFinite(out[2][i])).as("%s at t = s", fm).isTrue();
      }
    }
  }

  @Test
  void twoTimeLabelIsThePairOfColumns() {
    double[][] out = run(b -> List.of(FlowMapNetwork.times(b.scalar(0.9), b.scalar(0.2)),
        FlowMapNetwork.times(b.constant(new double[] {0.9, 0.5}, 2, 1), b.scalar(0.2)),
        FlowMapNetwork.times(b.scalar(0.9), b.constant(new double[] {0.1, 0.2}, 2, 1))));
    assertThat(out[0]).containsExactly(0.9, 0.2);
    assertThat(out[1]).containsExactly(0.9, 0.2, 0.5, 0.2);
    assertThat(out[2]).containsExactly(0.9, 0.1, 0.9, 0.2);
  }
}
