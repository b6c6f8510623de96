package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * Everything a solver integrates: the (guided) model, the schedule, the descending time grid, the
 * initial state at {@code times[0]} and the noise source. Immutable; the grid is copied. A flow-map
 * model (consistency models, CTM, MeanFlow) comes as the optional {@code flowMap}, which the
 * few-step samplers call through {@link #jump}; it is null for an ordinary model. A flow map may
 * come without a denoiser (model null): asking it for a prediction then fails, naming the samplers
 * that work.
 *
 * @param model the (guided) denoiser the solver queries; may be null when {@code flowMap} is given
 * @param schedule the noising schedule α(t), σ(t) the grid times refer to
 * @param times the time grid, strictly decreasing, at least 2 points (1 step): from {@code times[0]}
 *     (noisiest) to the final time
 * @param xInit the initial state x at {@code times[0]}, shape [B, …]
 * @param noise the source of the Gaussian noise that stochastic solvers draw
 * @param flowMap the flow-map model G(x, s, t) of the few-step samplers, or null for an ordinary model
 */
public record SamplingProblem(
    Denoiser model, Schedule schedule, double[] times, Tensor xInit, NoiseSource noise, FlowMap flowMap) {

  /**
   * A problem without a flow-map model.
   *
   * @param model the (guided) denoiser the solver queries
   * @param schedule the noising schedule α(t), σ(t) the grid times refer to
   * @param times the time grid, strictly decreasing, at least 2 points
   * @param xInit the initial state x at {@code times[0]}, shape [B, …]
   * @param noise the source of the Gaussian noise that stochastic solvers draw
   */
  public SamplingProblem(Denoiser model, Schedule schedule, double[] times, Tensor xInit, NoiseSource noise) {
    this(model, schedule, times, xInit, noise, null);
  }

  /**
   * Checks the grid and copies it; stands in a denoiser that fails with a message naming the flow-map
   * samplers when only a flow map is given.
   *
   * @param model the (guided) denoiser, or null when {@code flowMap} is given
   * @param schedule the noising schedule α(t), σ(t)
   * @param times the time grid, strictly decreasing, at least 2 points; copied
   * @param xInit the initial state x at {@code times[0]}, shape [B, …]
   * @param noise the source of the Gaussian noise that stochastic solvers draw
   * @param flowMap the flow-map model G(x, s, t), or null for an ordinary model
   * @throws IllegalArgumentException if both models are null, or the grid has fewer than 2 points or is
   *     not strictly decreasing
   */
  public SamplingProblem {
    if (model == null && flowMap != null) {
      model = (x, p) -> {
        throw new IllegalStateException("the model is a flow map G(x, s, t) without a denoiser: a solver that asks for"
            + " a prediction (x̂0, ε̂, velocity) cannot run it; use a flow-map sampler (flow-map, multistep-consistency, tcd)");
      };
    }
    if (model == null) {
      throw new IllegalArgumentException("a sampling problem needs a model (a denoiser, a flow map or both)");
    }
    if (times.length < 2) {
      throw new IllegalArgumentException(
          "a time grid needs at least 2 points (1 step), got " + times.length);
    }
    times = times.clone();
    for (int i = 1; i < times.length; i++) {
      if (!(times[i] < times[i - 1])) {
        throw new IllegalArgumentException(
            "time grid must be strictly decreasing, but t[" + i + "]=" + times[i] + " >= t[" + (i - 1) + "]=" + times[i - 1]);
      }
    }
  }

  /**
   * The same problem with another model (the same object when {@code next} is the current model).
   *
   * @param next the denoiser to use instead, for example the guided model
   * @return the problem with model {@code next} and everything else unchanged
   */
  public SamplingProblem withModel(Denoiser next) {
    return next == model ? this : new SamplingProblem(next, schedule, times, xInit, noise, flowMap);
  }

  /**
   * The same problem with a flow-map model.
   *
   * @param map the flow-map model G(x, s, t) for the few-step samplers
   * @return the problem with flow map {@code map} and everything else unchanged
   */
  public SamplingProblem withFlowMap(FlowMap map) {
    return new SamplingProblem(model, schedule, times, xInit, noise, map);
  }

  /**
   * G(x, s, t): the flow-map model's jump, or, for a model without one, the DDIM jump of its
   * prediction at s ({@link FlowMap#ddim}). One model evaluation either way.
   *
   * @param x the state at time s, shape [B, …]
   * @param s the time the jump starts from
   * @param t the time the jump lands at (t &lt; s when sampling)
   * @return the estimate of the state at time t, shape of {@code x}
   */
  public Tensor jump(Tensor x, double s, double t) {
    FlowMap map = flowMap != null ? flowMap : FlowMap.ddim(model);
    return map.jump(x, pointAt(s), pointAt(t));
  }

  /**
   * Number of steps (grid intervals).
   *
   * @return the number of grid points minus one, at least 1
   */
  public int steps() {
    return times.length - 1;
  }

  /**
   * Grid time k.
   *
   * @param k the grid index, 0 … {@link #steps()}
   * @return the time {@code times[k]}
   */
  public double t(int k) {
    return times[k];
  }

  /**
   * The time grid (a copy).
   *
   * @return a copy of the strictly decreasing grid times
   */
  @Override
  public double[] times() {
    return times.clone();
  }

  /**
   * Scalar path coefficients at grid time k.
   *
   * @param k the grid index, 0 … {@link #steps()}
   * @return α, σ and their derivatives at {@code times[k]}, on the backend of {@code xInit}
   */
  public PathPoint point(int k) {
    return PathPoint.at(schedule, times[k], xInit.backend());
  }

  /**
   * Scalar path coefficients at an arbitrary time (stages between grid points).
   *
   * @param t the time, in the schedule's [tMin, tMax]
   * @return α, σ and their derivatives at t, on the backend of {@code xInit}
   */
  public PathPoint pointAt(double t) {
    return PathPoint.at(schedule, t, xInit.backend());
  }

  /**
   * The model's prediction at x, grid time k.
   *
   * @param x the current state, shape [B, …]
   * @param k the grid index, 0 … {@link #steps()}
   * @return the prediction (x̂0, ε̂) at (x, {@code times[k]})
   */
  public Prediction predict(Tensor x, int k) {
    return model.predict(x, point(k));
  }

  /**
   * The model's prediction at x, time t.
   *
   * @param x the current state, shape [B, …]
   * @param t the time, in the schedule's [tMin, tMax]
   * @return the prediction (x̂0, ε̂) at (x, t)
   */
  public Prediction predictAt(Tensor x, double t) {
    return model.predict(x, pointAt(t));
  }
}
