package org.diffuse4j.objectives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.FlowMapNetwork;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.schedules.RectifiedFlow;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * MeanFlow's loss on the exact average velocity of Gaussian data N(m, c²I) on the linear path
 * (seed 001 T10: h(x, s, t) = (Ψ_{s→t}(x) − x)/(t − s)), where the MeanFlow identity holds.
 */
class MeanFlowTest {
  private static final double[] M = {1.5, -0.5};
  private static final double C = 0.7;
  private static final int B = 4;
  private static final double[] S = {0.9, 0.5, 0.95, 0.3};
  private static final double[] T = {0.2, 0.1, 0.6, 0.05};

  /** The exact average velocity as graph ops of (x, s, t), with α = 1 − s, σ = s. */
  private static final FlowMapNetwork EXACT = (x, s, t, condition) -> {
    Tensor m = x.backend().constant(M, 1, 2);
    Tensor as = s.rsub(1);
    Tensor at = t.rsub(1);
    Tensor tauS = as.square().times(C * C).plus(s.square()).sqrt();
    Tensor tauT = at.square().times(C * C).plus(t.square()).sqrt();
    Tensor psi = m.times(at).plus(x.minus(m.times(as)).times(tauT.div(tauS)));
    return psi.minus(x).div(t.minus(s));
  };

  private static double[] run(Graph g, Tensor out) {
    try (Session session = new Session(g); Result r = session.runner().fetch(out.op()).run()) {
      return Feeds.values(r.get(0));
    }
  }

  /**
   * Rows x_s ~ N(0, 1) with x0 = E[x0 | x_s] and ε = (x_s − α x0)/σ: a pair whose conditional
   * velocity α̇x0 + σ̇ε is the marginal velocity at x_s, so the target equals the exact h.
   */
  private static double[][] posteriorPairs() {
    double[] xs = CounterNoise.gaussian(61, 0, 1, 2 * B, 0);
    double[] x0 = new double[2 * B];
    double[] eps = new double[2 * B];
    for (int i = 0; i < B; i++) {
      double a = 1 - S[i];
      double s = S[i];
      for (int j = 0; j < 2; j++) {
        int k = 2 * i + j;
        x0[k] = M[j] + a * C * C * (xs[k] - a * M[j]) / (a * a * C * C + s * s);
        eps[k] = (xs[k] - a * x0[k]) / s;
      }
    }
    return new double[][] {x0, eps, xs};
  }

  @Test
  void exactAverageVelocityIsItsOwnTargetAndHasZeroLoss() {
    double[][] pair = posteriorPairs();
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      RectifiedFlow rf = new RectifiedFlow();
      PathPoint s = PathPoint.columns(rf, S, b);
      PathPoint t = PathPoint.columns(rf, T, b);
      Tensor x0 = b.constant(pair[0], B, 2);
      Tensor eps = b.constant(pair[1], B, 2);
      Tensor xs = b.constant(pair[2], B, 2);
      Tensor h = EXACT.jump(xs, s.t(), t.t(), Condition.none());
      Tensor v = x0.times(s.alphaDot()).plus(eps.times(s.sigmaDot()));
      Tensor target = new MeanFlow(1, -0.4, 1, 0, 1e-3).target(EXACT, x0, eps, s, t, Condition.none());
      Tensor plain = new MeanFlow(1, -0.4, 1, 0, 1e-3).loss(EXACT, x0, eps, s, t, Condition.none());
      Tensor weighted = MeanFlow.defaults().loss(EXACT, x0, eps, s, t, Condition.none());
      double[] hv = run(g, h);
      double[] vv = run(g, v);
      double[] tv = run(g, target);
      double gap = 0;
      for (int k = 0; k < hv.length; k++) {
        assertThat(tv[k]).as("h_tgt[" + k + "]").isCloseTo(hv[k], within(1e-12));
        gap = Math.max(gap, Math.abs(hv[k] - vv[k]));
      }
      // The JVP term matters: the average velocity is far from the instantaneous one.
      assertThat(gap).isGreaterThan(0.1);
      for (double d : run(g, plain)) {
        assertThat(d).isLessThan(1e-24);
      }
      for (double d : run(g, weighted)) {
        assertThat(d).isLessThan(1e-21);
      }
    }
  }

  @Test
  void withEqualTimesTheTargetIsTheConditionalVelocityAndTheWeightIsAdaptive() {
    double[][] pair = posteriorPairs();
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      RectifiedFlow rf = new RectifiedFlow();
      PathPoint s = PathPoint.columns(rf, S, b);
      PathPoint tEqualsS = PathPoint.columns(rf, S, b);
      Tensor x0 = b.constant(pair[0], B, 2);
      Tensor eps = b.constant(pair[1], B, 2);
      // With t = s the target is v whatever h is: here h = x·s + 0.3 against v = ε − x0.
      FlowMapNetwork affine = (x, ss, tt, c) -> x.times(ss).plus(0.3);
      Tensor target = new MeanFlow(1, -0.4, 1, 0, 1e-3).target(affine, x0, eps, s, tEqualsS, Condition.none());
      Tensor plain = new MeanFlow(1, -0.4, 1, 0, 1e-3).loss(affine, x0, eps, s, tEqualsS, Condition.none());
      Tensor weighted = new MeanFlow(1, -0.4, 1, 1, 1e-3).loss(affine, x0, eps, s, tEqualsS, Condition.none());
      double[] tv = run(g, target);
      double[] pv = run(g, plain);
      double[] wv = run(g, weighted);
      for (int i = 0; i < B; i++) {
        double d = 0;
        for (int j = 0; j < 2; j++) {
          int k = 2 * i + j;
          double v = pair[1][k] - pair[0][k];
          assertThat(tv[k]).isCloseTo(v, within(1e-13));
          double xs = (1 - S[i]) * pair[0][k] + S[i] * pair[1][k];
          d += Math.pow(xs * S[i] + 0.3 - v, 2) / 2;
        }
        assertThat(pv[i]).isCloseTo(d, within(1e-12));
        assertThat(wv[i]).isCloseTo(d / (d + 1e-3), within(1e-12));
      }
    }
  }

  @Test
  void gradientFlowsThroughTheNetworkOnlyNotThroughTheTarget() {
    // h = θ·x + t: ∂ₓh·v = θv, ∂ₛh = 0, so h_tgt = v − (s − t)θv and, with the target held fixed,
    // ∂d/∂θ = mean(2(h − h_tgt)·x); through the target as well it would add −mean(2(h − h_tgt)·(−(s − t)v)).
    double theta = 0.7;
    double[][] pair = posteriorPairs();
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      RectifiedFlow rf = new RectifiedFlow();
      PathPoint s = PathPoint.columns(rf, S, b);
      PathPoint t = PathPoint.columns(rf, T, b);
      Tensor th = b.scalar(theta);
      FlowMapNetwork affine = (x, ss, tt, c) -> x.times(th).plus(tt);
      Tensor loss = new MeanFlow(1, -0.4, 1, 0, 1e-3).loss(affine, b.constant(pair[0], B, 2), b.constant(pair[1], B, 2), s, t,
          Condition.none()).sum();
      double[] grad = run(g, loss.gradient(th));
      double expected = 0;
      for (int i = 0; i < B; i++) {
        for (int j = 0; j < 2; j++) {
          int k = 2 * i + j;
          double v = pair[1][k] - pair[0][k];
          double x = (1 - S[i]) * pair[0][k] + S[i] * pair[1][k];
          double tgt = v - (S[i] - T[i]) * theta * v;
          expected += 2 * (theta * x + T[i] - tgt) * x / 2;
        }
      }
      assertThat(grad[0]).isCloseTo(expected, within(1e-12));
    }
  }

  @Test
  void timesAreOrderedLogitNormalAndUnequalForTheRatio() {
    MeanFlow mf = MeanFlow.defaults();
    double median = 1 / (1 + Math.exp(0.4));
    // s = F⁻¹(√u₁): u₁ = 1/4 gives the median; t = s unless u₂ < ratio (0.25)
    assertThat(mf.times(0.25, 0.9)).containsExactly(median, median);
    double[] st = mf.times(0.25, 0.125);
    assertThat(st[0]).isCloseTo(median, within(1e-15));
    // t = F⁻¹((u₂/ratio)·F(s)) = F⁻¹(0.5 · 0.5)
    assertThat(st[1]).isCloseTo(1 / (1 + Math.exp(0.4 - NormalQuantile.of(0.25))), within(1e-12));
    assertThatThrownBy(() -> new MeanFlow(1.5, 0, 1, 1, 1e-3)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void timeSamplerHasTheLawOfSortedPairs() {
    // the paper's sampler, written independently: two logit-normal draws, s the larger, t the smaller
    // for a fraction ratio of examples; compared by quantiles over 200,000 draws of each
    MeanFlow mf = MeanFlow.defaults();
    int n = 200_000;
    java.util.Random rng = new java.util.Random(7);
    double[] sRef = new double[n];
    java.util.List<Double> tRef = new java.util.ArrayList<>();
    double[] sOurs = new double[n];
    java.util.List<Double> tOurs = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      double a = 1 / (1 + Math.exp(-(-0.4 + rng.nextGaussian())));
      double b = 1 / (1 + Math.exp(-(-0.4 + rng.nextGaussian())));
      sRef[i] = Math.max(a, b);
      if (rng.nextDouble() < 0.25) {
        tRef.add(Math.min(a, b));
      }
      double[] st = mf.times(rng.nextDouble(), rng.nextDouble());
      sOurs[i] = st[0];
      if (st[1] < st[0]) {
        tOurs.add(st[1]);
      }
    }
    assertThat((double) tOurs.size() / n).isCloseTo(0.25, within(0.005));
    java.util.Arrays.sort(sRef);
    java.util.Arrays.sort(sOurs);
    double[] tr = tRef.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double[] to = tOurs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    for (double q : new double[] {0.05, 0.25, 0.5, 0.75, 0.95}) {
      assertThat(sOurs[(int) (q * n)]).as("s quantile %s", q).isCloseTo(sRef[(int) (q * n)], within(0.006));
      assertThat(to[(int) (q * to.length)]).as("t quantile %s", q).isCloseTo(tr[(int) (q * tr.length)], within(0.01));
    }
  }
}
