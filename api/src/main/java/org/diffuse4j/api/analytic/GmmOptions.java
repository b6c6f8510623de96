package org.diffuse4j.api.analytic;

import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.plugin.Option;
import org.diffuse4j.api.plugin.OptionException;

/**
 * Options of the {@code gmm} network and data plugins: a preset or explicit components.
 *
 * @param preset {@code standard} for {@link GaussianMixture#standard2d()} or {@code custom}
 * @param dim the data dimension of the custom means, ≥ 1
 * @param means the custom component means, flattened row-major (components × dim)
 * @param stds the custom component standard deviations, ≥ 0, one per component
 * @param weights the custom mixture weights, one per component (normalised by the mixture)
 */
public record GmmOptions(
    @Option(doc = "'standard' (3-component 2-D mixture) or 'custom' (use means/stds/weights)", def = "standard") String preset,
    @Option(doc = "data dimension of the custom means", def = "2", min = 1) int dim,
    @Option(doc = "custom component means, flattened row-major (components × dim)", def = "[]") double[] means,
    @Option(doc = "custom component standard deviations", def = "[]", min = 0) double[] stds,
    @Option(doc = "custom mixture weights (normalised)", def = "[]", min = 0) double[] weights) {

  /**
   * The mixture these options describe.
   *
   * @param path the options' path in the configuration (e.g. {@code network}), used in error messages
   * @return the standard 2-D mixture, or the custom one built from means, stds and weights
   * @throws OptionException if the preset is unknown or the custom components are inconsistent
   */
  public GaussianMixture mixture(String path) {
    if (preset.equals("standard")) {
      return GaussianMixture.standard2d();
    }
    if (!preset.equals("custom")) {
      throw new OptionException("value '" + preset + "' for '" + path + ".preset' is not allowed; allowed values: standard, custom");
    }
    int k = stds.length;
    if (k == 0 || weights.length != k || means.length != k * dim) {
      throw new OptionException("'" + path + "': a custom mixture needs k stds, k weights and k × dim means; got "
          + stds.length + ", " + weights.length + " and " + means.length + " (dim " + dim + ")");
    }
    double[][] m = new double[k][dim];
    for (int i = 0; i < k; i++) {
      System.arraycopy(means, i * dim, m[i], 0, dim);
    }
    try {
      return new GaussianMixture(m, stds, weights);
    } catch (IllegalArgumentException e) {
      throw new OptionException("'" + path + "': " + e.getMessage());
    }
  }
}
