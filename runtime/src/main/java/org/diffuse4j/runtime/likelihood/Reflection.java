package org.diffuse4j.runtime.likelihood;

import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.NoiseSource;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Runs any deterministic {@link org.diffuse4j.api.Solver} forward in time (data → noise) by
 * reflecting time, τ = 1 − t (seed 003: "reversal: y_τ = x_{1−τ} solves ẏ = −v(y, 1−τ)"). A
 * {@link SamplingProblem} needs a decreasing grid, so the problem is posed on the reflected schedule
 * α'(τ) = α(1 − τ), σ'(τ) = σ(1 − τ) (derivatives change sign) over τ_i = 1 − t_i, and the model is
 * called at the original time. This is the plugin {@code Inversion}'s construction; the runtime may
 * not link plugin classes, so it is restated here in a few lines.
 */
final class Reflection {
  private Reflection() {}

  /** The schedule seen in reflected time τ = 1 − t. */
  record ReflectedSchedule(Schedule base) implements Schedule {
    @Override
    public double alpha(double tau) {
      return base.alpha(1 - tau);
    }

    @Override
    public double sigma(double tau) {
      return base.sigma(1 - tau);
    }

    @Override
    public double alphaDot(double tau) {
      return -base.alphaDot(1 - tau);
    }

    @Override
    public double sigmaDot(double tau) {
      return -base.sigmaDot(1 - tau);
    }

    @Override
    public double tMin() {
      return 1 - base.tMax();
    }

    @Override
    public double tMax() {
      return 1 - base.tMin();
    }

    @Override
    public double lambda(double tau) {
      return base.lambda(1 - tau);
    }

    @Override
    public double timeOfLambda(double lambda) {
      return 1 - base.timeOfLambda(lambda);
    }
  }

  /** A noise source for deterministic solvers: drawing from it is a bug. */
  static final NoiseSource NO_NOISE = (stream, like) -> {
    throw new IllegalStateException("a deterministic solver drew noise");
  };

  /** The problem that carries {@code x} from {@code increasingTimes[0]} up to the last time. */
  static SamplingProblem forward(Denoiser model, Schedule schedule, double[] increasingTimes, Tensor x) {
    double[] tau = new double[increasingTimes.length];
    for (int i = 0; i < tau.length; i++) {
      tau[i] = 1 - increasingTimes[i];
    }
    Denoiser reflected = new Denoiser() {
      @Override
      public Prediction predict(Tensor z, PathPoint p) {
        PathPoint original = new PathPoint(p.t().rsub(1), p.alpha(), p.sigma(), p.alphaDot().neg(), p.sigmaDot().neg());
        Prediction pr = model.predict(z, original);
        return new Prediction(z, p, pr.x0(), pr.eps()); // same (x̂0, ε̂), so the velocity flips sign
      }

      @Override
      public int evaluationsPerCall() {
        return model.evaluationsPerCall();
      }
    };
    return new SamplingProblem(reflected, new ReflectedSchedule(schedule), tau, x, NO_NOISE);
  }

  /** The ordinary (decreasing-time) problem from {@code decreasingTimes[0]} down to the last time. */
  static SamplingProblem backward(Denoiser model, Schedule schedule, double[] decreasingTimes, Tensor x) {
    return new SamplingProblem(model, schedule, decreasingTimes, x, NO_NOISE);
  }
}
