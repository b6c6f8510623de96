package org.diffuse4j.api.analytic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/** Seed 001 T10–T11: the exact Gaussian flow map and the flow-map laws, also on the mixture's ODE. */
class GaussianFlowMapTest {

  static final Schedule RF = GaussianMixtureTest.RF;
  static final Schedule VP = GaussianMixtureTest.VP;

  /** Cosine α = cos(πt/2), σ = sin(πt/2), written out here. */
  static final Schedule COSINE = new Schedule() {
    public double alpha(double t) { return Math.cos(Math.PI * t / 2); }
    public double sigma(double t) { return Math.sin(Math.PI * t / 2); }
    public double alphaDot(double t) { return -Math.PI / 2 * Math.sin(Math.PI * t / 2); }
    public double sigmaDot(double t) { return Math.PI / 2 * Math.cos(Math.PI * t / 2); }
    public double tMax() { return 1 - 1e-4; }
  };

  final GaussianFlowMap gauss = new GaussianFlowMap(new double[] {1.5, -0.5}, 0.7);

  @Test
  void seedExample() {
    // seed 001 T10: linear schedule, m = 1.5, c = 0.7, x = 0.3, s = 0.9 → t = 0.2 gives 1.2988087
    GaussianFlowMap g = new GaussianFlowMap(new double[] {1.5}, 0.7);
    assertThat(g.jump(RF, new double[] {0.3}, 0.9, 0.2)[0]).isCloseTo(1.2988087, within(5e-8));
    // N(0, I) data under the linear schedule: Ψ_{1→0} = id, Ψ_{1→0.5}(x) = x/√2 (τ_1 = 1, τ_0.5 = 1/√2)
    GaussianFlowMap unit = new GaussianFlowMap(new double[] {0}, 1);
    assertThat(unit.jump(RF, new double[] {0.8}, 1, 0)[0]).isCloseTo(0.8, within(1e-15));
    assertThat(unit.jump(RF, new double[] {0.8}, 1, 0.5)[0]).isCloseTo(0.8 / Math.sqrt(2), within(1e-15));
  }

  @Test
  void identityAndSemigroup() {
    double[] x = {0.3, 1.1};
    for (Schedule sch : new Schedule[] {RF, VP, COSINE}) {
      double[] same = gauss.jump(sch, x, 0.6, 0.6);
      assertThat(same[0]).isCloseTo(x[0], within(1e-15));
      assertThat(same[1]).isCloseTo(x[1], within(1e-15));
      double[] direct = gauss.jump(sch, x, 0.9, 0.05);
      double[] twoJumps = gauss.jump(sch, gauss.jump(sch, x, 0.9, 0.4), 0.4, 0.05);
      for (int j = 0; j < 2; j++) {
        assertThat(twoJumps[j]).isCloseTo(direct[j], within(1e-13));
      }
    }
  }

  @Test
  void agreesWithTheIntegratedProbabilityFlowOde() {
    // the ODE is driven by the mixture's posterior mean (Tweedie), not by this class's formula
    GaussianMixture one = gauss.asMixture();
    double[] x = {0.3, 1.1, -2.0, 0.4};
    for (Schedule sch : new Schedule[] {RF, VP, COSINE}) {
      for (double[] st : new double[][] {{0.9, 0.2}, {0.5, 0.02}, {0.1, 0.8}}) {
        double[] ode = ReferenceSolution.solve(one, sch, st[0], st[1], x);
        double[] exact = gauss.jump(sch, x, st[0], st[1]);
        for (int j = 0; j < x.length; j++) {
          assertThat(exact[j]).as("%s %s→%s", sch, st[0], st[1]).isCloseTo(ode[j], within(1e-9));
        }
      }
      double[] v = gauss.velocity(sch, 0.37, x);
      double[] vTweedie = new double[4];
      System.arraycopy(one.velocity(sch, 0.37, new double[] {x[0], x[1]}), 0, vTweedie, 0, 2);
      System.arraycopy(one.velocity(sch, 0.37, new double[] {x[2], x[3]}), 0, vTweedie, 2, 2);
      for (int j = 0; j < 4; j++) {
        assertThat(v[j]).isCloseTo(vTweedie[j], within(1e-12));
      }
    }
  }

  @Test
  void mixtureFlowMapThroughTheOdeObeysTheLaws() {
    // the mixture has no closed-form map: Ψ through the reference ODE solution must still be a
    // semigroup, i.e. consistent (CM self-consistency: Ψ_{s→ε} = Ψ_{u→ε} ∘ Ψ_{s→u}), and invertible
    GaussianMixture gm = GaussianMixture.standard2d();
    double[] x = gm.at(VP, 0.8).sample(3, 0, 4);
    for (Schedule sch : new Schedule[] {RF, VP}) {
      double[] toEnd = ReferenceSolution.solve(gm, sch, 0.8, 0.03, x);
      for (double u : new double[] {0.5, 0.1}) {
        double[] viaU = ReferenceSolution.solve(gm, sch, u, 0.03, ReferenceSolution.solve(gm, sch, 0.8, u, x));
        for (int j = 0; j < x.length; j++) {
          assertThat(viaU[j]).as("%s via %s", sch, u).isCloseTo(toEnd[j], within(1e-8));
        }
      }
      double[] back = ReferenceSolution.solve(gm, sch, 0.03, 0.8, toEnd);
      for (int j = 0; j < x.length; j++) {
        assertThat(back[j]).isCloseTo(x[j], within(1e-8));
      }
    }
  }

  @Test
  void graphFlowMapEqualsTheClosedForm() {
    double[] x = {0.3, 1.1, -2.0, 0.4, 0.0, 0.0};
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      Tensor xt = b.constant(x, 3, 2);
      for (Schedule sch : new Schedule[] {RF, VP, COSINE}) {
        Tensor y = gauss.flowMap().jump(xt, PathPoint.at(sch, 0.7, b), PathPoint.at(sch, 0.1, b));
        double[] expected = gauss.jump(sch, x, 0.7, 0.1);
        try (TFloat64 out = (TFloat64) s.runner().fetch(y.op()).run().get(0)) {
          for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
              assertThat(out.getDouble(i, j)).isCloseTo(expected[2 * i + j], within(1e-14));
            }
          }
        }
      }
    }
  }
}
