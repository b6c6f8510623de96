package org.diffuse4j.objectives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConstantNoise;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.FlowMap;
import org.diffuse4j.api.FlowMapNetwork;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Teacher;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.TrainingNetworks;
import org.diffuse4j.api.analytic.GaussianFlowMap;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.objectives.ConsistencyDistillation.Distance;
import org.diffuse4j.schedules.RectifiedFlow;
import org.diffuse4j.schedules.flowmap.CtmParameterisation;
import org.diffuse4j.solvers.ButcherTableau;
import org.diffuse4j.solvers.RungeKutta;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * CTM (Kim et al. 2024) on rectified flow: with the exact flow map of Gaussian data as student and
 * target (through the ctm parameterisation) and the exact denoiser as an RK4 teacher the loss is the
 * teacher's step error, ~0, and far from 0 for the map of the wrong Gaussian; on a linear student
 * g = θx the loss, its gradient (through G_θ(x_s, s, t) only) and the DSM term against a hand computation.
 */
class ConsistencyTrajectoryTest {
  static final Schedule RF = new RectifiedFlow();
  static final double[] M = {1.5, -0.5};
  static final double C = 0.7;
  static final int B = 8;
  static final CtmParameterisation CTM = new CtmParameterisation();

  /** Rows of N(M, C²), noise, the CTM start levels s and end levels t drawn by {@code o}. */
  static TrainingBatch batch(ConsistencyTrajectory o, Backend b, double[] s, double[] t) {
    double[] x0 = new double[2 * B];
    double[] eps = new double[2 * B];
    for (int i = 0; i < B; i++) {
      s[i] = o.sampleTime(RF, (i + 0.5) / B);
      t[i] = o.pairedTime(RF, s[i], 0, (0.3 + 0.618 * i) % 1.0);
      for (int j = 0; j < 2; j++) {
        x0[2 * i + j] = M[j] + C * CounterNoise.gaussian(11, i, 1, j);
        eps[2 * i + j] = CounterNoise.gaussian(11, i, 2, j);
      }
    }
    double[] ones = new double[B];
    java.util.Arrays.fill(ones, 1);
    return new TrainingBatch(b.constant(x0, B, 2), b.constant(eps, B, 2), PathPoint.columns(RF, s, b),
        b.constant(ones, B, 1), Condition.none(), new ConstantNoise(3, 0), PathPoint.columns(RF, t, b));
  }

  /** The rectified-flow path point of a time column (α = 1 − t, σ = t). */
  static PathPoint rf(Tensor t) {
    return new PathPoint(t, t.rsub(1), t, t.zerosLike().minus(1), t.zerosLike().plus(1));
  }

  /**
   * The raw CTM output g of the exact flow map of N(M, c²): g = target(Ψ_{s→t}(x)) for t &lt; s and
   * its limit x − s·v(x, s) at t = s.
   */
  static Network exactG(double c) {
    GaussianFlowMap gauss = new GaussianFlowMap(M, c);
    return (x, times, condition) -> {
      Backend b = x.backend();
      Tensor s = times.matmul(b.constant(new double[] {1, 0}, 2, 1));
      Tensor t = times.matmul(b.constant(new double[] {0, 1}, 2, 1));
      PathPoint ps = rf(s);
      PathPoint pt = rf(t);
      Tensor jump = CTM.target(gauss.flowMap().jump(x, ps, pt), x, ps, pt);
      // v = α̇m + (τ̇/τ)(x − αm), τ² = α²c² + σ², τ̇τ = αα̇c² + σσ̇ (α̇ = −1, σ̇ = 1)
      Tensor m = b.constant(M, 1, 2);
      Tensor a = s.rsub(1);
      Tensor tau2 = a.square().times(c * c).plus(s.square());
      Tensor v = m.times(-1).plus(x.minus(m.times(a)).times(a.times(-c * c).plus(s).div(tau2)));
      Tensor diagonal = x.minus(v.times(s));
      return s.minus(t).minus(1e-12).plus(x.zerosLike()).wherePositive(jump, diagonal);
    };
  }

  static double[] run(Graph g, Tensor out) {
    try (Session session = new Session(g)) {
      return ConsistencyDistillationTest.fetch(session, out);
    }
  }

  @Test
  void theExactFlowMapHasLossNearZeroAndTheWrongGaussiansDoesNot() {
    ConsistencyTrajectory o = new ConsistencyTrajectory(12, 0.002, 80, 7, Distance.L2, -1, 0).bind(RF);
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      TrainingBatch batch = batch(o, b, new double[B], new double[B]);
      Teacher teacher = new Teacher(new GaussianFlowMap(M, C).asMixture().denoiser(RF), null, RF,
          new RungeKutta(ButcherTableau.RK4));
      Network exact = exactG(C);
      Network wrong = exactG(0.9);
      Tensor good = o.loss(batch, new TrainingNetworks(exact, exact, teacher, CTM), CTM.diagonal());
      Tensor bad = o.loss(batch, new TrainingNetworks(wrong, wrong, teacher, CTM), CTM.diagonal());
      double[] gv = run(g, good);
      double[] bv = run(g, bad);
      double badMean = 0;
      for (int i = 0; i < B; i++) {
        assertThat(gv[i]).as("loss of example %d at the exact map", i).isBetween(0.0, 1e-8);
        badMean += bv[i] / B;
      }
      assertThat(badMean).isGreaterThan(1e-3);
    }
  }

  @Test
  void lossAndGradientOfALinearStudentByHand() {
    // g = θx: a = G(x_s, s, t) = (t/s + (1 − t/s)θ)x_s, the map to the data G(a, t, 0) = θa, the target's
    // θT; d = Σ(θa − θT)², and with θ held in the map to the data ∂d/∂θ = Σ 2θ(θa − θT)(1 − t/s)x_s
    // (not + Σ 2(θa − θT)(a − T), the derivative through the held map's own θ).
    double theta = 0.8;
    ConsistencyTrajectory o = new ConsistencyTrajectory(12, 0.002, 80, 7, Distance.L2, -1, 0).bind(RF);
    double[] s = new double[B];
    double[] t = new double[B];
    double[] target = new double[2 * B];
    for (int k = 0; k < 2 * B; k++) {
      target[k] = CounterNoise.gaussian(12, k, 0, 0);
    }
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      TrainingBatch batch = batch(o, b, s, t);
      Tensor th = b.scalar(theta);
      FlowMap student = CTM.flowMap(FlowMapNetwork.of((x, times, c) -> x.times(th)), Condition.none());
      Tensor loss = o.loss(student, b.constant(target, B, 2), batch, RF);
      double[] lv = run(g, loss);
      double[] grad = run(g, loss.sum().gradient(th));
      double[] xs = run(g, batch.xt());
      double expectedGrad = 0;
      for (int i = 0; i < B; i++) {
        double r = t[i] / s[i];
        double d = 0;
        for (int j = 0; j < 2; j++) {
          int k = 2 * i + j;
          double a = (r + (1 - r) * theta) * xs[k];
          d += Math.pow(theta * a - theta * target[k], 2);
          expectedGrad += 2 * theta * (theta * a - theta * target[k]) * (1 - r) * xs[k];
        }
        assertThat(lv[i]).as("loss of example %d", i).isCloseTo(d, within(1e-12));
      }
      assertThat(grad[0]).isCloseTo(expectedGrad, within(1e-10));
    }
  }

  @Test
  void theDsmTermIsTheInstantaneousPredictionsSquaredError() {
    // g = θx on the diagonal: u = (x − g)/s = (1 − θ)x/s = v, so x̂0 = x − s·v = θx on rectified flow.
    double theta = 0.8;
    double lambda = 2.5;
    ConsistencyTrajectory plain = new ConsistencyTrajectory(12, 0.002, 80, 7, Distance.L2, -1, 0).bind(RF);
    ConsistencyTrajectory withDsm = new ConsistencyTrajectory(12, 0.002, 80, 7, Distance.L2, -1, lambda).bind(RF);
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      TrainingBatch batch = batch(plain, b, new double[B], new double[B]);
      Teacher teacher = new Teacher(new GaussianFlowMap(M, C).asMixture().denoiser(RF), null, RF,
          new RungeKutta(ButcherTableau.EULER));
      Network linear = (x, times, c) -> x.times(theta);
      TrainingNetworks nets = new TrainingNetworks(linear, linear, teacher, CTM);
      double[] diff = run(g, withDsm.loss(batch, nets, CTM.diagonal()).minus(plain.loss(batch, nets, CTM.diagonal())));
      double[] xs = run(g, batch.xt());
      double[] x0 = run(g, batch.x0());
      for (int i = 0; i < B; i++) {
        double dsm = 0;
        for (int j = 0; j < 2; j++) {
          dsm += Math.pow(theta * xs[2 * i + j] - x0[2 * i + j], 2);
        }
        assertThat(diff[i]).as("λ·DSM of example %d", i).isCloseTo(lambda * dsm, within(1e-10));
      }
    }
  }

  @Test
  void timesAreOrderedLevels() {
    ConsistencyTrajectory o = new ConsistencyTrajectory(6, 0.002, 80, 7, Distance.L2, -1, 1).bind(RF);
    double[] r = o.levels();
    java.util.Set<Double> starts = new java.util.TreeSet<>();
    for (int n = 0; n < 600; n++) {
      double s = o.sampleTime(RF, (n + 0.5) / 600);
      double t = o.pairedTime(RF, s, 0, ((n * 0.618) % 1.0));
      starts.add(Math.round(s / (1 - s) * 1e9) / 1e9);
      assertThat(t).isLessThan(s);
      assertThat(java.util.Arrays.stream(r).anyMatch(x -> Math.abs(x - t / (1 - t)) < 1e-9 * x)).isTrue();
    }
    // starts are exactly the levels r_1 … r_{N−1}: never the lowest (t must lie below)
    assertThat(starts).hasSize(r.length - 1);
    assertThat(starts.iterator().next()).isCloseTo(r[1], within(1e-9));
  }
}
