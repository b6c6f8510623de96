package org.diffuse4j.objectives;

import org.diffuse4j.api.Coupling;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.tensor.Tensor;

/**
 * The one template of every regression objective (TorchCFM's {@code ConditionalFlowMatcher}): take
 * the point of a conditional path at the sampled times, sample x_t on it, and regress the network on
 * the path's target:
 *
 * <pre>ℓ_i = λ_i · mean_j (f_θ(x_t, t)_ij − target_ij)²</pre>
 *
 * with λ_i the weighting's w(t_i), converted from ε-space to the target's space by dividing by c²,
 * c = the raw error per unit ε error at fixed x_t. An objective overrides {@link #path},
 * {@link #sample} or {@link #target}; time density, weighting, coupling and condition dropout are
 * small separate types shared by all.
 */
public abstract class RegressionObjective implements Objective {
  private final TimeDensity time;
  private final Weighting weighting;
  private final Coupling coupling;
  private final ConditionDropout dropout;

  protected RegressionObjective(
      TimeDensity time, Weighting weighting, Coupling coupling, ConditionDropout dropout) {
    this.time = time;
    this.weighting = weighting;
    this.coupling = coupling;
    this.dropout = dropout;
  }

  public TimeDensity time() {
    return time;
  }

  public Weighting weighting() {
    return weighting;
  }

  public ConditionDropout dropout() {
    return dropout;
  }

  /** t = F⁻¹(u); densities defined through the schedule (EDM's log-normal on σ/α) use the run's. */
  @Override
  public double sampleTime(Schedule schedule, double u) {
    return time.sample(schedule, u);
  }

  @Override
  public double weight(Schedule schedule, double t) {
    return weighting.weight(schedule, t);
  }

  @Override
  public Coupling coupling() {
    return coupling;
  }

  /** The conditional path's coefficients at the batch's times; the run's schedule by default. */
  protected PathPoint path(TrainingBatch b) {
    return b.point();
  }

  /** x_t on the path; α x0 + σ ε by default. */
  protected Tensor sample(TrainingBatch b, PathPoint p) {
    return b.x0().times(p.alpha()).plus(b.eps().times(p.sigma()));
  }

  /** The regression target of the raw output; the parameterisation's target by default. */
  protected Tensor target(TrainingBatch b, PathPoint p, Tensor xt, Parameterisation param) {
    return param.target(b.x0(), b.eps(), xt, p);
  }

  @Override
  public final Tensor loss(TrainingBatch b, Network network, Parameterisation param) {
    PathPoint p = path(b);
    Tensor xt = sample(b, p);
    Tensor raw =
        network.apply(
            param.networkInput(xt, p), param.networkTime(p), dropout.apply(b.condition(), b.noise()));
    Tensor mse = raw.minus(target(b, p, xt, param)).square().meanPerSample();
    Tensor lambda = lossWeight(b, p, param);
    return lambda == null ? mse : mse.times(lambda);
  }

  /**
   * λ_i of shape [B]: w_i as fed, divided by c_i² for ε-space weightings; null when the weight is
   * identically 1 (a batch without weights and a target-space weighting).
   */
  private Tensor lossWeight(TrainingBatch b, PathPoint p, Parameterisation param) {
    Tensor w = b.weight() == null ? null : b.weight().reshape(-1);
    if (!weighting.onEps()) {
      return w;
    }
    if (w == null) {
      throw new IllegalArgumentException(
          "this objective's weighting is not uniform: feed w_i = objective.weight(schedule, t_i) as batch.weight");
    }
    // Moving ε̂ by 1 at fixed x_t moves x̂0 by −σ/α; the target moves by c (affine targets).
    Tensor zero = p.alpha().zerosLike();
    Tensor c =
        param
            .target(p.sigma().div(p.alpha()).neg(), zero.plus(1), zero, p)
            .minus(param.target(zero, zero, zero, p));
    return w.times(c.square().rdiv(1).reshape(-1));
  }
}
