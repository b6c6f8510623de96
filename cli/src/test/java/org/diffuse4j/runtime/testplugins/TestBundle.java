package org.diffuse4j.runtime.testplugins;

import static org.diffuse4j.api.plugin.Kind.OBJECTIVE;
import static org.diffuse4j.api.plugin.Kind.SOLVER;

import java.util.List;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.plugin.NoOptions;
import org.diffuse4j.api.plugin.Option;
import org.diffuse4j.api.plugin.PluginBundle;
import org.diffuse4j.api.plugin.PluginInfo;
import org.diffuse4j.api.plugin.PluginProvider;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Test-only plugins, independent of the solver/objective modules: a probability-flow Euler solver,
 * a stochastic Euler solver (exercises the fed noise) and a plain regression objective.
 */
public final class TestBundle implements PluginBundle {
  /** Options of test-sde. */
  public record SdeOptions(@Option(doc = "noise scale", def = "0.3", min = 0) double scale) {}

  /** Euler on dx/dt = velocity. */
  public static final class Euler implements Solver {
    @Override
    public SolverTraits traits() {
      return new SolverTraits(1, 1, false, 0);
    }

    @Override
    public SolverState step(SamplingProblem p, SolverState s) {
      double h = p.t(s.k() + 1) - p.t(s.k());
      Tensor v = p.predict(s.x(), s.k()).velocity();
      return s.next(s.x().plus(v.times(h)), 1);
    }
  }

  /** Heun (trapezoidal predictor-corrector) on dx/dt = velocity. */
  public static final class Heun implements Solver {
    @Override
    public SolverTraits traits() {
      return new SolverTraits(2, 2, false, 0);
    }

    @Override
    public SolverState step(SamplingProblem p, SolverState s) {
      double h = p.t(s.k() + 1) - p.t(s.k());
      Tensor v0 = p.predict(s.x(), s.k()).velocity();
      Tensor x1 = s.x().plus(v0.times(h));
      Tensor v1 = p.predict(x1, s.k() + 1).velocity();
      return s.next(s.x().plus(v0.plus(v1).times(h / 2)), 2);
    }
  }

  /** Euler plus scale·√|h|·z at step k (noise stream k + 1): not a correct sampler, just noisy. */
  public record NoisyEuler(double scale) implements Solver {
    @Override
    public SolverTraits traits() {
      return new SolverTraits(1, 1, true, 0);
    }

    @Override
    public SolverState step(SamplingProblem p, SolverState s) {
      double h = p.t(s.k() + 1) - p.t(s.k());
      Tensor v = p.predict(s.x(), s.k()).velocity();
      Tensor z = p.noise().gaussian(s.k() + 1, s.x());
      return s.next(s.x().plus(v.times(h)).plus(z.times(scale * Math.sqrt(-h))), 1);
    }
  }

  /** Per-example squared error against the parameterisation's target. */
  public static final class Regression implements Objective {
    @Override
    public double sampleTime(org.diffuse4j.api.Schedule schedule, double u) {
      return u;
    }

    @Override
    public Tensor loss(TrainingBatch b, Network network, Parameterisation param) {
      PathPoint p = b.point();
      Tensor xt = b.xt();
      Tensor raw = network.apply(param.networkInput(xt, p), param.networkTime(p), b.condition());
      return raw.minus(param.target(b.x0(), b.eps(), xt, p)).square().meanPerSample().times(b.weight().reshape(-1));
    }
  }

  @Override
  public List<PluginProvider<?>> providers() {
    return List.of(
        PluginProvider.of(new PluginInfo(SOLVER, "test-euler", "test Euler", "test"), NoOptions.class, o -> new Euler()),
        PluginProvider.of(new PluginInfo(SOLVER, "test-heun", "test Heun", "test"), NoOptions.class, o -> new Heun()),
        PluginProvider.of(new PluginInfo(SOLVER, "test-sde", "test noisy Euler", "test"), SdeOptions.class,
            o -> new NoisyEuler(o.scale())),
        PluginProvider.of(new PluginInfo(OBJECTIVE, "test-regression", "test regression", "test"), NoOptions.class,
            o -> new Regression()));
  }
}
