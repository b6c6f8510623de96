package org.diffuse4j.api.analytic;

import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.Schedule;

/**
 * The empirical measure (1/N) Σ_i δ(x − p_i) of a small data set. Its optimal denoiser is the
 * softmax-weighted average of the points, E[x0 | x_t] = Σ_i softmax_i(−‖x − α p_i‖²/(2σ²)) p_i
 * (the memorising model a perfectly trained network converges to): a {@link GaussianMixture} with
 * zero widths and equal weights.
 *
 * @param points the N data points, each of the same dimension
 */
public record PointCloud(double[][] points) {

  /**
   * Copies the points.
   *
   * @param points the N ≥ 1 data points, each of the same dimension ≥ 1 (copied)
   */
  public PointCloud {
    points = toMixture(points).means();
  }

  private static GaussianMixture toMixture(double[][] points) {
    double[] w = new double[points.length];
    java.util.Arrays.fill(w, 1.0);
    return new GaussianMixture(points, new double[points.length], w);
  }

  /**
   * The equivalent mixture of point masses.
   *
   * @return the mixture with one zero-width component of weight 1/N per point
   */
  public GaussianMixture mixture() {
    return toMixture(points);
  }

  /**
   * Data dimension.
   *
   * @return the dimension of each point
   */
  public int dim() {
    return points[0].length;
  }

  /**
   * Number of points.
   *
   * @return the number N of points
   */
  public int size() {
    return points.length;
  }

  /**
   * The exact (memorising) posterior-mean denoiser; labels select a single point.
   *
   * @param schedule the noising schedule (unused by the formula, the path point carries α and σ)
   * @return the denoiser; condition labels are point indices
   */
  public ConditionalDenoiser denoiser(Schedule schedule) {
    return mixture().denoiser(schedule);
  }

  /**
   * Exact E[x0 | x_t = x] in Java doubles.
   *
   * @param schedule the noising schedule giving α(t) and σ(t)
   * @param t the time, in (0, tMax] (σ(t) &gt; 0)
   * @param x the noisy point x_t, length {@link #dim()}
   * @return the softmax-weighted average of the points, length {@link #dim()}
   */
  public double[] posteriorMean(Schedule schedule, double t, double[] x) {
    return mixture().posteriorMean(schedule, t, x);
  }

  /**
   * Exact score of q_t = (1/N) Σ N(α p_i, σ² I).
   *
   * @param schedule the noising schedule giving α(t) and σ(t)
   * @param t the time, in (0, tMax] (σ(t) &gt; 0)
   * @param x a point, length {@link #dim()}
   * @return ∇ₓ log q_t(x), length {@link #dim()}
   */
  public double[] score(Schedule schedule, double t, double[] x) {
    return mixture().score(schedule, t, x);
  }

  /**
   * The points (a copy).
   *
   * @return a fresh N × dim copy of the points
   */
  @Override
  public double[][] points() {
    return mixture().means();
  }
}
