package org.diffuse4j.solvers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.diffuse4j.api.ConstantNoise;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.analytic.ConvergenceStudy;
import org.diffuse4j.api.analytic.CountingDenoiser;
import org.diffuse4j.testkit.SolverConformance;
import org.junit.jupiter.api.Test;
import org.tensorflow.EagerSession;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

class AdaptiveRungeKuttaTest {

  /** Error (RMS over rows) against the reference and the calls spent, at a tolerance. */
  static double[] errorAndCalls(Schedule s, double tol) {
    ConvergenceStudy study = ConvergenceStudy.of(s).withRows(8);
    double[] ref = study.reference();
    try (EagerSession eager = EagerSession.create()) {
      Backend b = new Backend(Ops.create(eager), Precision.FLOAT64);
      CountingDenoiser model = new CountingDenoiser(study.model());
      SamplingProblem p = new SamplingProblem(model, s, study.times(2),
          b.constant(study.initialState(0, 8), 8, 2), new ConstantNoise(0, 0));
      SolverState end = new AdaptiveRungeKutta(ButcherTableau.DOPRI5, tol, tol, 1000).solve(p);
      TFloat64 x = (TFloat64) end.x().op().asTensor();
      double sq = 0;
      for (int i = 0; i < 8; i++) {
        for (int j = 0; j < 2; j++) {
          sq += Math.pow(x.getDouble(i, j) - ref[2 * i + j], 2);
        }
      }
      assertThat(end.nfe()).isEqualTo(model.calls());
      return new double[] {Math.sqrt(sq / 8), model.calls()};
    }
  }

  @Test
  void meetsItsToleranceAndSpendsMoreCallsForATighterOne() {
    for (Schedule s : new Schedule[] {SolverConformance.vp(), SolverConformance.rectifiedFlow()}) {
      double[] loose = errorAndCalls(s, 1e-4);
      double[] tight = errorAndCalls(s, 1e-7);
      assertThat(loose[0]).as("error at tol 1e-4 on %s", s).isLessThan(1e-3);
      assertThat(tight[0]).as("error at tol 1e-7 on %s", s).isLessThan(1e-6).isLessThan(loose[0] / 50);
      assertThat(tight[1]).isGreaterThan(loose[1]);
      assertThat(loose[1]).isGreaterThanOrEqualTo(2 * 7);
    }
  }

  @Test
  void refusesGraphModeAndTablesWithoutAnErrorEstimate() {
    assertThatThrownBy(() -> new AdaptiveRungeKutta(ButcherTableau.RK4, 1e-5, 1e-5, 10))
        .hasMessageContaining("embedded weights");
    ConvergenceStudy study = ConvergenceStudy.of(SolverConformance.vp());
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      SamplingProblem p = new SamplingProblem(study.model(), study.schedule(), study.times(2),
          b.constant(study.initialState(0, 2), 2, 2), new ConstantNoise(0, 0));
      assertThatThrownBy(() -> new AdaptiveRungeKutta(ButcherTableau.DOPRI5, 1e-5, 1e-5, 10).sample(p))
          .hasMessageContaining("eager backend");
    }
  }
}
