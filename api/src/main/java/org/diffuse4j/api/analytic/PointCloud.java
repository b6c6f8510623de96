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

  /** Copies the points. */
  public PointCloud {
    points = toMixture(points).means();
  }

  private static GaussianMixture toMixture(double[][] points) {
    double[] w = new double[points.length];
    java.util.Arrays.fill(w, 1.0);
    return new GaussianMixture(points, new double[points.length], w);
  }

  /** The equivalent mixture of point masses. */
  public GaussianMixture mixture() {
    return toMixture(points);
  }

  /** Data dimension. */
  public int dim() {
    return points[0].length;
  }

  /** Number of points. */
  public int size() {
    return points.length;
  }

  /** The exact (memorising) posterior-mean denoiser; labels select a single point. */
  public ConditionalDenoiser denoiser(Schedule schedule) {
    return mixture().denoiser(schedule);
  }

  /** Exact E[x0 | x_t = x] in Java doubles. */
  public double[] posteriorMean(Schedule schedule, double t, double[] x) {
    return mixture().posteriorMean(schedule, t, x);
  }

  /** Exact score of q_t = (1/N) Σ N(α p_i, σ² I). */
  public double[] score(Schedule schedule, double t, double[] x) {
    return mixture().score(schedule, t, x);
  }

  /** The points (a copy). */
  @Override
  public double[][] points() {
    return mixture().means();
  }
}
