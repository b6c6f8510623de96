package org.diffuse4j.api.analytic;

import org.diffuse4j.api.FlowMap;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.tensor.Tensor;

/**
 * The exact flow map of Gaussian data N(m, c² I) on any schedule (seed 001 T10): the marginal is
 * q_t = N(α_t m, τ_t² I) with τ_t² = α_t² c² + σ_t², the probability-flow ODE moves x − α_t m
 * proportionally to τ_t, so Ψ_{s→t}(x) = α_t m + (τ_t/τ_s)(x − α_s m). Its velocity at t is
 * v(x, t) = α̇_t m + (τ̇_t/τ_t)(x − α_t m) with τ̇ = (α α̇ c² + σ σ̇)/τ. In Java doubles and, through
 * {@link #flowMap()}, as graph ops: the reference flow-map "model" of tests and the conformance kit.
 *
 * @param mean the data mean m (its length is the dimension)
 * @param std the data standard deviation c &gt; 0
 */
public record GaussianFlowMap(double[] mean, double std) {

  /**
   * Checks dimension &gt;= 1 and std &gt; 0; copies the mean.
   *
   * @param mean the data mean m, length ≥ 1 (copied)
   * @param std the data standard deviation c &gt; 0
   */
  public GaussianFlowMap {
    if (mean.length == 0 || !(std > 0)) {
      throw new IllegalArgumentException(
          "Gaussian data needs a mean of dimension >= 1 and std > 0, got dimension " + mean.length + " and std " + std);
    }
    mean = mean.clone();
  }

  /**
   * The data mean (a copy).
   *
   * @return a fresh copy of m
   */
  @Override
  public double[] mean() {
    return mean.clone();
  }

  /**
   * Data dimension.
   *
   * @return the length of m, ≥ 1
   */
  public int dim() {
    return mean.length;
  }

  /**
   * τ_t = √(α_t² c² + σ_t²), the marginal's standard deviation.
   *
   * @param schedule the noising schedule giving α(t) and σ(t)
   * @param t the time, in [0, tMax]
   * @return τ_t &gt; 0
   */
  public double tau(Schedule schedule, double t) {
    double a = schedule.alpha(t);
    double s = schedule.sigma(t);
    return Math.sqrt(a * a * std * std + s * s);
  }

  /**
   * Ψ_{s→t}(x) for one point x of length {@link #dim()}.
   *
   * @param schedule the noising schedule giving α and σ
   * @param x the point at time s; its length may be any multiple of {@link #dim()} (rows are mapped
   *     independently)
   * @param s the start time, in [0, tMax]
   * @param t the end time, in [0, tMax] (either direction)
   * @return Ψ_{s→t}(x), same length as x
   */
  public double[] jump(Schedule schedule, double[] x, double s, double t) {
    double ratio = tau(schedule, t) / tau(schedule, s);
    double as = schedule.alpha(s);
    double at = schedule.alpha(t);
    double[] out = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      out[j] = at * mean[j % dim()] + ratio * (x[j] - as * mean[j % dim()]);
    }
    return out;
  }

  /**
   * The probability-flow velocity v(x, t) = α̇ m + (τ̇/τ)(x − α m).
   *
   * @param schedule the noising schedule giving α, σ and their time derivatives
   * @param t the time, in [0, tMax]
   * @param x the point at time t; its length may be any multiple of {@link #dim()}
   * @return v(x, t), same length as x
   */
  public double[] velocity(Schedule schedule, double t, double[] x) {
    double a = schedule.alpha(t);
    double s = schedule.sigma(t);
    double tau = tau(schedule, t);
    double tauDot = (a * schedule.alphaDot(t) * std * std + s * schedule.sigmaDot(t)) / tau;
    double[] out = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      double m = mean[j % dim()];
      out[j] = schedule.alphaDot(t) * m + tauDot / tau * (x[j] - a * m);
    }
    return out;
  }

  /**
   * The same data as a one-component {@link GaussianMixture} (its exact denoiser and ODE solution).
   *
   * @return the mixture N(m, c² I) with a single component of weight 1
   */
  public GaussianMixture asMixture() {
    return new GaussianMixture(new double[][] {mean}, new double[] {std}, new double[] {1});
  }

  /**
   * Ψ as graph ops: x of shape [B, dim], s and t path points (scalars or per-sample columns [B, 1]).
   * Needs nothing but the α and σ the path points carry.
   *
   * @return the flow map (x, s, t) ↦ Ψ_{s→t}(x) built from graph ops
   */
  public FlowMap flowMap() {
    return (x, s, t) -> {
      Tensor m = x.backend().constant(mean, 1, dim());
      Tensor tauS = s.alpha().square().times(std * std).plus(s.sigma().square()).sqrt();
      Tensor tauT = t.alpha().square().times(std * std).plus(t.sigma().square()).sqrt();
      return m.times(t.alpha()).plus(x.minus(m.times(s.alpha())).times(tauT.div(tauS)));
    };
  }
}
