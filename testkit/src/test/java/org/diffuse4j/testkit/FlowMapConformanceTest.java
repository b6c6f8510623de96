package org.diffuse4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.FlowMap;
import org.diffuse4j.api.FlowMapParameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.analytic.GaussianFlowMap;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.schedules.flowmap.ConsistencyParameterisation;
import org.diffuse4j.schedules.flowmap.CtmParameterisation;
import org.diffuse4j.schedules.flowmap.MeanFlowParameterisation;
import org.junit.jupiter.api.Test;

/** The flow-map kit passes the exact maps and our parameterisations, and catches broken ones. */
class FlowMapConformanceTest {

  final Schedule vp = SolverConformance.vp();
  final Schedule rf = SolverConformance.rectifiedFlow();
  final GaussianFlowMap gauss = FlowMapConformance.gaussian();

  @Test
  void exactMapsConform() {
    for (Schedule sch : new Schedule[] {vp, rf}) {
      FlowMapConformance.assertExactOnGaussian(gauss.flowMap(), gauss, sch, 1e-12);
      // the Gaussian is a one-component mixture: its closed form agrees with the integrated ODE
      double[] err = FlowMapConformance.assertMatchesOde(gauss.flowMap(), gauss.asMixture(), sch, 1e-8);
      assertThat(java.util.Arrays.stream(err).max().orElseThrow()).isLessThan(1e-8);
    }
  }

  @Test
  void ourParameterisationsConform() {
    FlowMapConformance.assertConforms(new CtmParameterisation());
    FlowMapConformance.assertConforms(new MeanFlowParameterisation());
    FlowMapConformance.assertConforms(new ConsistencyParameterisation(0.5, 0.002));
    FlowMapConformance.assertConforms(new ConsistencyParameterisation(1.0, 0));
  }

  /** G = g_θ: the network's output is the end point, with no boundary built in. */
  record NoBoundary() implements FlowMapParameterisation {
    public Tensor jump(Tensor raw, Tensor x, PathPoint s, PathPoint t) {
      return raw;
    }

    public Tensor target(Tensor end, Tensor x, PathPoint s, PathPoint t) {
      return end;
    }
  }

  /** MeanFlow's jump with a target that forgets the sign of (t − s). */
  record WrongTarget() implements FlowMapParameterisation {
    public Tensor jump(Tensor raw, Tensor x, PathPoint s, PathPoint t) {
      return x.plus(raw.times(t.t().minus(s.t())));
    }

    public Tensor target(Tensor end, Tensor x, PathPoint s, PathPoint t) {
      return end.minus(x).div(s.t().minus(t.t()));
    }
  }

  @Test
  void brokenParameterisationsFailWithWhatToFix() {
    assertThatThrownBy(() -> FlowMapConformance.assertConforms(new NoBoundary()))
        .hasMessageContaining("G(x, s, s) must be x for any weights").hasMessageContaining("build the boundary into the form");
    assertThatThrownBy(() -> FlowMapConformance.assertConforms(new WrongTarget()))
        .hasMessageContaining("jump(target(y)) must give y back");
  }

  @Test
  void mapsThatAreNotTheFlowFail() {
    // the jump in the wrong direction of time: Ψ_{t→s} instead of Ψ_{s→t}
    FlowMap reversed = (x, s, t) -> gauss.flowMap().jump(x, t, s);
    assertThatThrownBy(() -> FlowMapConformance.assertExactOnGaussian(reversed, gauss, vp, 1e-6))
        .hasMessageContaining("check the clock");
    // DDIM's jump with the exact posterior mean is not the flow map of a non-degenerate distribution
    GaussianMixture gm = GaussianMixture.standard2d();
    FlowMap ddim = (x, s, t) -> {
      var p = gm.denoiser(vp).predict(x, s, Condition.none());
      return p.x0().times(t.alpha()).plus(p.eps().times(t.sigma()));
    };
    assertThatThrownBy(() -> FlowMapConformance.assertMatchesOde(ddim, gm, vp, 1e-3))
        .hasMessageContaining("probability-flow ODE");
    // a map that ignores its per-sample times
    FlowMap scalarOnly = (x, s, t) -> s.t().rank() == 0 ? gauss.flowMap().jump(x, s, t)
        : gauss.flowMap().jump(x, PathPoint.at(vp, 0.5, x.backend()), t);
    assertThatThrownBy(() -> FlowMapConformance.assertExactOnGaussian(scalarOnly, gauss, vp, 1e-9))
        .hasMessageContaining("per-sample times");
  }
}
