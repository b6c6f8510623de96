package org.diffuse4j.solvers.exponential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.ConstantNoise;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.schedules.GridBounds;
import org.diffuse4j.schedules.LogSnrGrid;
import org.diffuse4j.schedules.RectifiedFlow;
import org.diffuse4j.schedules.UniformGrid;
import org.diffuse4j.schedules.VariancePreserving;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/** NFE accounting, no hidden state, batch independence and seeds, option errors. */
class ContractTest {
  private static final Schedule VP = new VariancePreserving(0.1, 20);

  private static double[] fetch(Session s, Tensor t, int n, int dim) {
    try (TFloat64 out = (TFloat64) s.runner().fetch(t.op()).run().get(0)) {
      double[] r = new double[n];
      for (int i = 0; i < n; i++) {
        r[i] = out.getDouble(i / dim, i % dim);
      }
      return r;
    }
  }

  @Test
  void evaluationsAreCountedAndSteppingTwiceGivesTheSameResult() {
    GaussianMixture gm = GaussianMixture.standard2d();
    for (Map.Entry<String, Solver> e : Catalogue.all().entrySet()) {
      try (Graph g = new Graph(); Session s = new Session(g)) {
        Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
        ConditionalDenoiser cd = gm.denoiser(VP);
        AtomicInteger calls = new AtomicInteger();
        Denoiser model = (x, p) -> {
          calls.incrementAndGet();
          return cd.predict(x, p, Condition.none());
        };
        double[] t = new UniformGrid(-1, -1).times(VP, 7);
        SamplingProblem problem =
            new SamplingProblem(model, VP, t, b.constant(Harness.noise(4, 2), 4, 2), new ConstantNoise(3, 0));
        Solver solver = e.getValue();
        SolverState state = solver.init(problem);
        for (int k = 0; k < 4; k++) {
          state = solver.step(problem, state);
        }
        assertThat(state.history().size()).as(e.getKey()).isLessThanOrEqualTo(solver.traits().history());
        SolverState a = solver.step(problem, state);
        SolverState c = solver.step(problem, state);
        assertThat(fetch(s, a.x(), 8, 2)).as(e.getKey()).containsExactly(fetch(s, c.x(), 8, 2));
        while (!a.done(problem)) {
          a = solver.step(problem, a);
        }
        int beforeExtraStep = calls.get() - (c.nfe() - state.nfe());
        assertThat(a.nfe()).as(e.getKey() + " nfe").isEqualTo(solver.evaluations(7));
        assertThat(beforeExtraStep).as(e.getKey() + " denoiser calls").isEqualTo(a.nfe());
      }
    }
  }

  @Test
  void stochasticSolversDoNotDependOnBatchSizeAndFollowTheSeed() {
    GaussianMixture gm = GaussianMixture.standard2d();
    double[] t = new LogSnrGrid(GridBounds.DEFAULT).times(VP, 10);
    for (String name : new String[] {"ddim eta=1", "dpmpp-sde", "dpmpp-2m-sde"}) {
      Solver solver = Catalogue.all().get(name);
      assertThat(solver.traits().stochastic()).isTrue();
      double[] x8 = Harness.noise(8, 2);
      double[] big = Harness.run(solver, VP, t, gm, x8, 11).x();
      double[] small = Harness.run(solver, VP, t, gm, java.util.Arrays.copyOf(x8, 6), 11).x();
      double[] again = Harness.run(solver, VP, t, gm, x8, 11).x();
      double[] other = Harness.run(solver, VP, t, gm, x8, 12).x();
      assertThat(java.util.Arrays.copyOf(big, 6)).as(name).containsExactly(small, within(1e-13));
      assertThat(again).as(name).containsExactly(big);
      assertThat(Harness.rms(other, big)).as(name).isGreaterThan(1e-3);
    }
  }

  @Test
  void badSettingsFailClearly() {
    assertThatThrownBy(() -> Catalogue.make("ddim", Map.of("eta", -0.1)))
        .isInstanceOf(OptionException.class).hasMessageContaining("eta");
    assertThatThrownBy(() -> Catalogue.make("dpm-solver", Map.of("order", 4)))
        .isInstanceOf(OptionException.class).hasMessageContaining("order");
    assertThatThrownBy(() -> Catalogue.make("unipc", Map.of("variant", "bh3")))
        .isInstanceOf(OptionException.class).hasMessageContaining("bh1, bh2");
    assertThatThrownBy(() -> new Ddim(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eta");
    assertThatThrownBy(() -> new DpmSolver(4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("order");
    // a grid starting where α = 0 (rectified flow at t = 1) has no finite λ or ρ
    assertThatThrownBy(() -> Harness.run(new DpmppTwoM(0), new RectifiedFlow(), new double[] {1.0, 0.5},
            GaussianMixture.standard2d(), Harness.noise(2, 2), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tMax");
    // a grid with one point has no step
    assertThatThrownBy(() -> Harness.run(new DpmppTwoM(0), new RectifiedFlow(), new double[] {0.5},
            GaussianMixture.standard2d(), Harness.noise(2, 2), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 points");
    assertThatThrownBy(() -> Catalogue.make("lms", Map.of("order", 5)))
        .isInstanceOf(OptionException.class).hasMessageContaining("order");
  }
}
