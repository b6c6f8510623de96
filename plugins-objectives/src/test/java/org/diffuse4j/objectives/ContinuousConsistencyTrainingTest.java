package org.diffuse4j.objectives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.schedules.EdmParameterisation;
import org.diffuse4j.schedules.RectifiedFlow;
import org.diffuse4j.schedules.TrigFlow;
import org.diffuse4j.schedules.TrigFlowParameterisation;
import org.diffuse4j.schedules.X0Parameterisation;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * sCT's tangent against independent computations: it vanishes for the exact consistency function of
 * Gaussian data along the marginal velocity, it equals cos τ·df/dτ by central differences of f along
 * the TrigFlow path (for a random network, on trigflow and on rectified flow), and the loss and its
 * gradient on a linear network equal the hand computation.
 */
class ContinuousConsistencyTrainingTest {
  private static final double SD = 0.5;
  private static final double[] M = {1.5, -0.5};
  private static final double C = 0.7;
  private static final int B = 4;
  private static final int D = 2;
  private static final double[] TAU = {0.05, 0.4, 0.9, 1.4};

  private static double[] run(Graph g, Tensor out) {
    try (Session session = new Session(g); Result r = session.runner().fetch(out.op()).run()) {
      return Feeds.values(r.get(0));
    }
  }

  /** The schedule's time at TrigFlow angle τ: σ/α = σ_d tan τ. */
  private static double timeAt(Schedule s, double tau) {
    return s.timeOfLambda(-Math.log(SD * Math.tan(tau)));
  }

  private static double[] times(Schedule s, double[] tau, double shift) {
    double[] t = new double[tau.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = timeAt(s, tau[i] + shift);
    }
    return t;
  }

  private static double[] noise(int stream, double scale, double offset) {
    double[] v = CounterNoise.gaussian(31, 0, B, D, stream);
    for (int k = 0; k < v.length; k++) {
      v[k] = scale * v[k] + offset;
    }
    return v;
  }

  /** x = α(x0 + rε) at each row's time. */
  private static double[] path(Schedule s, double[] t, double[] x0, double[] eps) {
    double[] x = new double[B * D];
    for (int i = 0; i < B; i++) {
      double a = s.alpha(t[i]);
      double r = s.sigma(t[i]) / a;
      for (int j = 0; j < D; j++) {
        x[i * D + j] = a * (x0[i * D + j] + r * eps[i * D + j]);
      }
    }
    return x;
  }

  /** The exact consistency function of N(m, c²I) data, m + c/√(c² + r²)(x/α − m), as an x0-network on trigflow. */
  private static Network exactF(double cc) {
    return (x, t, cond) -> {
      Tensor m = x.backend().constant(M, 1, D);
      Tensor ang = t.times(0.5 * Math.PI);
      Tensor alpha = ang.cos();
      Tensor r = ang.sin().times(SD).div(alpha);
      Tensor k = r.square().plus(cc * cc).sqrt().rdiv(cc);
      return m.plus(x.div(alpha).minus(m).times(k));
    };
  }

  @Test
  void theExactConsistencyFunctionHasZeroTangentAlongTheMarginalVelocity() {
    TrigFlow s = new TrigFlow(SD);
    double[] t = times(s, TAU, 0);
    double[] xs = noise(1, 1, 0);
    double[] x0 = new double[B * D];
    double[] eps = new double[B * D];
    for (int i = 0; i < B; i++) {
      double a = s.alpha(t[i]);
      double sg = s.sigma(t[i]);
      for (int j = 0; j < D; j++) {
        int k = i * D + j;
        x0[k] = M[j] + a * C * C * (xs[k] - a * M[j]) / (a * a * C * C + sg * sg); // E[x0 | x]
        eps[k] = (xs[k] - a * x0[k]) / sg;
      }
    }
    ContinuousConsistencyTraining sct = new ContinuousConsistencyTraining(SD, -1, 1.4, 0.1, 0, false);
    Parameterisation param = new X0Parameterisation();
    for (double cc : new double[] {C, 0.8 * C}) {
      try (Graph g = new Graph()) {
        Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
        PathPoint p = PathPoint.columns(s, t, b);
        Tensor x = b.constant(xs, B, D);
        Tensor v = sct.trigVelocity(b.constant(x0, B, D), b.constant(eps, B, D), p);
        var terms = sct.terms(x, p, v, Condition.none(), exactF(cc), param);
        double[] gv = run(g, sct.tangent(terms, v, p.t().zerosLike().plus(1)));
        double[] lv = run(g, sct.loss(x, p, v, p.t().zerosLike().plus(1), Condition.none(), exactF(cc), param));
        double worst = 0;
        for (double d : gv) {
          worst = Math.max(worst, Math.abs(d));
        }
        if (cc == C) {
          assertThat(worst).as("exact f: df/dτ = 0 along the marginal velocity").isLessThan(1e-10);
          for (double l : lv) {
            assertThat(l).isLessThan(1e-20);
          }
        } else {
          assertThat(worst).as("f with c 20% off").isGreaterThan(1e-2);
        }
      }
    }
  }

  /** g at r = 1 is cos τ·df/dτ, and dF/dτ is F's derivative, both by central differences along x_τ. */
  @Test
  void tangentMatchesCentralDifferencesAlongTheTrigFlowPath() {
    Object[][] cases = {{new TrigFlow(SD), new TrigFlowParameterisation(SD)},
        {new RectifiedFlow(), new EdmParameterisation(SD)}};
    double[] x0 = noise(2, 0.8, 0.2);
    double[] eps = noise(3, 1, 0);
    double[] w = CounterNoise.gaussian(31, 0, D, D, 4);
    double h = 1e-5;
    for (Object[] cs : cases) {
      Schedule s = (Schedule) cs[0];
      Parameterisation param = (Parameterisation) cs[1];
      ContinuousConsistencyTraining sct = new ContinuousConsistencyTraining(SD, -1, 1.4, 0.1, 0, false);
      try (Graph g = new Graph()) {
        Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
        Tensor wt = b.constant(w, D, D);
        Network net = (x, time, cond) -> x.matmul(wt).plus(time.times(0.7)).tanh();
        double[][] f = new double[3][];
        double[][] big = new double[3][];
        double[][] cosSin = new double[3][];
        for (int k = 0; k < 3; k++) {
          double[] t = times(s, TAU, (k - 1) * h);
          PathPoint p = PathPoint.columns(s, t, b);
          Tensor x = b.constant(path(s, t, x0, eps), B, D);
          Tensor raw = net.apply(param.networkInput(x, p), param.networkTime(p), Condition.none());
          Tensor fx = param.interpret(raw, x, p).x0();
          f[k] = run(g, fx);
          // F = (cos τ x_τ − f)/(σ_d sin τ), x_τ = cos τ x/α
          double[] xv = path(s, t, x0, eps);
          big[k] = new double[B * D];
          for (int i = 0; i < B; i++) {
            double tau = TAU[i] + (k - 1) * h;
            for (int j = 0; j < D; j++) {
              int q = i * D + j;
              double xTau = Math.cos(tau) * xv[q] / s.alpha(t[i]);
              big[k][q] = (Math.cos(tau) * xTau - f[k][q]) / (SD * Math.sin(tau));
            }
          }
        }
        double[] t = times(s, TAU, 0);
        PathPoint p = PathPoint.columns(s, t, b);
        Tensor x = b.constant(path(s, t, x0, eps), B, D);
        Tensor v = sct.trigVelocity(b.constant(x0, B, D), b.constant(eps, B, D), p);
        var terms = sct.terms(x, p, v, Condition.none(), net, param);
        double[] fv = run(g, terms.f());
        double[] dF = run(g, terms.dfDtau());
        double[] gv = run(g, sct.tangent(terms, v, p.t().zerosLike().plus(1)));
        for (int i = 0; i < B; i++) {
          for (int j = 0; j < D; j++) {
            int q = i * D + j;
            assertThat(fv[q]).as("F").isCloseTo(big[1][q], within(1e-9));
            double fdF = (big[2][q] - big[0][q]) / (2 * h);
            double fdf = (f[2][q] - f[0][q]) / (2 * h);
            assertThat(dF[q]).as("dF/dτ %s row %d", s, i).isCloseTo(fdF, within(1e-6 * (1 + Math.abs(fdF))));
            assertThat(gv[q]).as("g = cos τ df/dτ %s row %d", s, i)
                .isCloseTo(Math.cos(TAU[i]) * fdf, within(1e-6 * (1 + Math.abs(fdf))));
          }
        }
      }
    }
  }

  /** F = (x/σ_d)W on trigflow (x_τ = x, ∂_τF = 0): the loss and ∂loss/∂W by hand, with warm-up r = 0.3. */
  @Test
  void lossAndGradientOnALinearNetworkByHand() {
    TrigFlow s = new TrigFlow(SD);
    double[] t = times(s, TAU, 0);
    double[] x0 = noise(5, 0.8, 0.2);
    double[] eps = noise(6, 1, 0);
    double[] w = CounterNoise.gaussian(31, 0, D, D, 7);
    double r = 0.3;
    double c = 0.1;
    ContinuousConsistencyTraining sct = new ContinuousConsistencyTraining(SD, -1, 1.4, c, 0, false);
    double[] lv;
    double[] gw;
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      Tensor wt = b.constant(w, D, D);
      Network net = (x, time, cond) -> x.matmul(wt);
      PathPoint p = PathPoint.columns(s, t, b);
      Tensor x = b.constant(path(s, t, x0, eps), B, D);
      Tensor v = sct.trigVelocity(b.constant(x0, B, D), b.constant(eps, B, D), p);
      Tensor loss = sct.loss(x, p, v, p.t().zerosLike().plus(r), Condition.none(), net, new TrigFlowParameterisation(SD));
      lv = run(g, loss);
      gw = run(g, loss.sum().gradient(wt));
    }
    double[] xv = path(s, t, x0, eps);
    double[] grad = new double[D * D];
    for (int i = 0; i < B; i++) {
      double co = Math.cos(TAU[i]);
      double si = Math.sin(TAU[i]);
      double[] gi = new double[D];
      double norm = 0;
      for (int j = 0; j < D; j++) {
        double f = 0;
        double df = 0;
        for (int k = 0; k < D; k++) {
          double vk = co * SD * eps[i * D + k] - si * x0[i * D + k];
          f += xv[i * D + k] / SD * w[k * D + j];
          df += vk / SD * w[k * D + j];
        }
        double vj = co * SD * eps[i * D + j] - si * x0[i * D + j];
        gi[j] = -co * co * (SD * f - vj) - r * co * si * (xv[i * D + j] + SD * df);
        norm += gi[j] * gi[j];
      }
      norm = Math.sqrt(norm) + c;
      double l = 0;
      for (int j = 0; j < D; j++) {
        gi[j] /= norm;
        l += gi[j] * gi[j] / D;
        for (int k = 0; k < D; k++) {
          grad[k * D + j] += -2.0 / D * gi[j] * xv[i * D + k] / SD;
        }
      }
      assertThat(lv[i]).as("loss row %d", i).isCloseTo(l, within(1e-12));
    }
    for (int q = 0; q < D * D; q++) {
      assertThat(gw[q]).as("dloss/dW[%d]", q).isCloseTo(grad[q], within(1e-12));
    }
  }

  @Test
  void timesAreLogNormalInSigmaOverAlphaAndTheWarmUpFollowsTheOptimiserStep() {
    ContinuousConsistencyTraining sct = new ContinuousConsistencyTraining(SD, -1, 1.4, 0.1, 100, false);
    TrigFlow s = new TrigFlow(SD);
    // u = Φ(1): ln r = −1 + 1.4 = 0.4, so t = (2/π) atan(e^0.4/σ_d)
    double u = 0.8413447460685429; // Φ(1)
    assertThat(sct.sampleTime(s, u)).isCloseTo(2 / Math.PI * Math.atan(Math.exp(0.4) / SD), within(1e-7));
    assertThat(sct.warmup(0)).isEqualTo(0.0);
    assertThat(sct.warmup(25)).isEqualTo(0.25);
    assertThat(sct.warmup(500)).isEqualTo(1.0);
    assertThat(sct.pairsTimes()).as("the warm-up reads the batch's step, not a paired time").isFalse();
    // in the graph, from the batch's step: r = min(1, k/H) at k = 0, 25, 500, and 1 without a step
    double[] t = {0.3, 0.6};
    for (long k : new long[] {0, 25, 500}) {
      try (Graph g = new Graph()) {
        Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
        PathPoint p = PathPoint.columns(s, t, b);
        Tensor zeros = b.constant(new double[4], 2, 2);
        TrainingBatch batch = new TrainingBatch(zeros, zeros, p, p.t(), Condition.none(), null, null, b.scalar(k));
        assertThat(run(g, sct.warmup(batch))[0]).as("r at step %d", k).isCloseTo(sct.warmup(k), within(1e-15));
        TrainingBatch noStep = new TrainingBatch(zeros, zeros, p, p.t(), Condition.none(), null);
        assertThat(run(g, sct.warmup(noStep))).containsExactly(1.0, 1.0);
      }
    }
  }
}
