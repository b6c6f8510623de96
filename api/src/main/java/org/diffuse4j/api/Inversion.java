package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * ODE inversion (data → noise, "DDIM inversion"; seed 003 §4.5): runs any deterministic solver
 * along an increasing time grid by reflecting time, τ = 1 − t. A {@link SamplingProblem} needs a
 * decreasing grid, so the problem is posed on the reflected schedule α'(τ) = α(1 − τ),
 * σ'(τ) = σ(1 − τ) (derivatives change sign) with the decreasing grid τ_i = 1 − t_i, and the model
 * is called at the original time. The reflected velocity is −v, so dx/dτ = −v(x, 1 − τ) is the
 * forward ODE dx/dt = v run in the solver's usual direction (seed 003: "reversal: y_τ = x_{1−τ}
 * solves ẏ = −v(y, 1−τ)"). Every solver works unchanged, exponential integrators included (their λ
 * is λ(1 − τ)). Stochastic solvers are refused: the reflected g² is negative.
 */
public final class Inversion {
  private Inversion() {}

  /** The noise source of a deterministic run: drawing from it is a bug. */
  public static final NoiseSource NO_NOISE = (stream, like) -> {
    throw new IllegalStateException("a deterministic solver drew noise");
  };

  /**
   * The schedule seen in reflected time τ = 1 − t.
   *
   * @param base the schedule in the original time t
   */
  public record Reflected(Schedule base) implements Schedule {
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

    @Override
    public double f(double tau) {
      return -base.f(1 - tau);
    }

    @Override
    public double g2(double tau) {
      return -base.g2(1 - tau);
    }
  }

  /**
   * The model called at t = 1 − τ, its prediction re-expressed on the reflected path point.
   *
   * @param model the denoiser in the original time t
   * @return the denoiser in reflected time τ, with the same (x̂0, ε̂) and evaluations per call
   */
  public static Denoiser reflect(Denoiser model) {
    return new Denoiser() {
      @Override
      public Prediction predict(Tensor x, PathPoint p) {
        PathPoint original = new PathPoint(
            p.t().rsub(1), p.alpha(), p.sigma(), p.alphaDot().neg(), p.sigmaDot().neg());
        Prediction pr = model.predict(x, original);
        return new Prediction(x, p, pr.x0(), pr.eps());
      }

      @Override
      public int evaluationsPerCall() {
        return model.evaluationsPerCall();
      }

      @Override
      public Denoiser next() {
        Denoiser n = model.next();
        return n == model ? this : reflect(n);
      }
    };
  }

  /**
   * The sampling problem that carries x from {@code increasingTimes[0]} to the last time.
   *
   * @param model the denoiser in the original time t
   * @param schedule the schedule in the original time t
   * @param increasingTimes the strictly increasing time grid, from the data end towards noise
   * @param x the state at {@code increasingTimes[0]}, shape [B, …]
   * @param noise the noise source ({@link #NO_NOISE} for a deterministic run)
   * @return the problem on the reflected schedule with grid τ_i = 1 − t_i
   */
  public static SamplingProblem problem(
      Denoiser model, Schedule schedule, double[] increasingTimes, Tensor x, NoiseSource noise) {
    double[] tau = new double[increasingTimes.length];
    for (int i = 0; i < tau.length; i++) {
      tau[i] = 1 - increasingTimes[i];
    }
    return new SamplingProblem(reflect(model), new Reflected(schedule), tau, x, noise);
  }

  /**
   * Integrates the probability-flow ODE forward (towards noise) with a deterministic solver.
   *
   * @param solver a deterministic (ODE) solver
   * @param model the denoiser in the original time t
   * @param schedule the schedule in the original time t
   * @param increasingTimes the strictly increasing time grid, from the data end towards noise
   * @param x the state at {@code increasingTimes[0]} (typically data at t near 0), shape [B, …]
   * @return x at the last time of {@code increasingTimes}, shape of {@code x}
   * @throws IllegalArgumentException if {@code solver} is stochastic
   */
  public static Tensor invert(Solver solver, Denoiser model, Schedule schedule, double[] increasingTimes, Tensor x) {
    if (solver.traits().stochastic()) {
      throw new IllegalArgumentException("inversion needs a deterministic solver; " + solver + " is stochastic");
    }
    return solver.sample(problem(model, schedule, increasingTimes, x, NO_NOISE));
  }
}
