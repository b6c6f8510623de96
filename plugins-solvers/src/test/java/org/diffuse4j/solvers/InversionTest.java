package org.diffuse4j.solvers;

import org.diffuse4j.api.Inversion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.diffuse4j.api.ConstantNoise;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.api.analytic.ConvergenceStudy;
import org.diffuse4j.api.analytic.ReferenceSolution;
import org.diffuse4j.testkit.SolverConformance;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

class InversionTest {

  @Test
  void inversionFollowsTheForwardOdeAndSamplingUndoesIt() {
    for (Schedule s : new Schedule[] {SolverConformance.vp(), SolverConformance.rectifiedFlow()}) {
      ConvergenceStudy study = ConvergenceStudy.of(s);
      double t0 = 0.05, t1 = 0.9;
      double[] x = study.mixture().at(s, t0).sample(3, 0, 8);
      double[] forward = ReferenceSolution.solve(study.mixture(), s, t0, t1, x);
      double[] up = new double[33];
      double[] down = new double[33];
      for (int k = 0; k <= 32; k++) {
        up[k] = t0 + (t1 - t0) * k / 32;
        down[k] = t1 + (t0 - t1) * k / 32;
      }
      Solver rk4 = new RungeKutta(ButcherTableau.RK4);
      try (Graph g = new Graph(); Session sess = new Session(g)) {
        Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
        Tensor noise = Inversion.invert(rk4, study.model(), s, up, b.constant(x, 8, 2));
        Tensor back = rk4.sample(new SamplingProblem(study.model(), s, down, noise, new ConstantNoise(0, 0)));
        double[] inverted = SolverConformance.fetch(sess, noise);
        double[] roundTrip = SolverConformance.fetch(sess, back);
        assertThat(inverted).as("inversion on %s", s).containsExactly(forward, within(1e-4));
        assertThat(roundTrip).as("round trip on %s", s).containsExactly(x, within(1e-4));
      }
    }
  }

  @Test
  void reflectedScheduleIsTheScheduleInReversedTime() {
    Schedule vp = SolverConformance.vp();
    Inversion.Reflected r = new Inversion.Reflected(vp);
    assertThat(r.alpha(0.3)).isEqualTo(vp.alpha(0.7));
    assertThat(r.sigmaDot(0.3)).isEqualTo(-vp.sigmaDot(0.7));
    assertThat(r.timeOfLambda(r.lambda(0.3))).isCloseTo(0.3, within(1e-12));
    assertThat(r.tMax()).isEqualTo(1 - vp.tMin());
  }

  @Test
  void stochasticSolversCannotInvert() {
    ConvergenceStudy study = ConvergenceStudy.of(SolverConformance.vp());
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      assertThatThrownBy(() -> Inversion.invert(new EulerMaruyama(), study.model(), study.schedule(),
          new double[] {0.1, 0.5}, b.constant(new double[] {0, 0}, 1, 2)))
          .hasMessageContaining("deterministic");
    }
  }
}
