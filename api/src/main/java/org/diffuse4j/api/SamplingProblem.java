package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * Everything a solver integrates: the (guided) model, the schedule, the descending time grid, the
 * initial state at {@code times[0]} and the noise source. Immutable; the grid is copied. A flow-map
 * model (consistency models, CTM, MeanFlow) comes as the optional {@code flowMap}, which the
 * few-step samplers call through {@link #jump}; it is null for an ordinary model. A flow map may
 * come without a denoiser (model null): asking it for a prediction then fails, naming the samplers
 * that work.
 */
public record SamplingProblem(
    Denoiser model, Schedule schedule, double[] times, Tensor xInit, NoiseSource noise, FlowMap flowMap) {

  /** A problem without a flow-map model. */
  public SamplingProblem(Denoiser model, Schedule schedule, double[] times, Tensor xInit, NoiseSource noise) {
    this(model, schedule, times, xInit, noise, null);
  }

  /** Stands in a denoiser that fails with a message naming the flow-map samplers when only a flow map is given. */
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

  /** The same problem with another model (the same object when {@code next} is the current model). */
  public SamplingProblem withModel(Denoiser next) {
    return next == model ? this : new SamplingProblem(next, schedule, times, xInit, noise, flowMap);
  }

  /** The same problem with a flow-map model. */
  public SamplingProblem withFlowMap(FlowMap map) {
    return new SamplingProblem(model, schedule, times, xInit, noise, map);
  }

  /**
   * G(x, s, t): the flow-map model's jump, or, for a model without one, the DDIM jump of its
   * prediction at s ({@link FlowMap#ddim}). One model evaluation either way.
   */
  public Tensor jump(Tensor x, double s, double t) {
    FlowMap map = flowMap != null ? flowMap : FlowMap.ddim(model);
    return map.jump(x, pointAt(s), pointAt(t));
  }

  /** Number of steps (grid intervals). */
  public int steps() {
    return times.length - 1;
  }

  /** Grid time k. */
  public double t(int k) {
    return times[k];
  }

  /** The time grid (a copy). */
  @Override
  public double[] times() {
    return times.clone();
  }

  /** Scalar path coefficients at grid time k. */
  public PathPoint point(int k) {
    return PathPoint.at(schedule, times[k], xInit.backend());
  }

  /** Scalar path coefficients at an arbitrary time (stages between grid points). */
  public PathPoint pointAt(double t) {
    return PathPoint.at(schedule, t, xInit.backend());
  }

  /** The model's prediction at x, grid time k. */
  public Prediction predict(Tensor x, int k) {
    return model.predict(x, point(k));
  }

  /** The model's prediction at x, time t. */
  public Prediction predictAt(Tensor x, double t) {
    return model.predict(x, pointAt(t));
  }
}
