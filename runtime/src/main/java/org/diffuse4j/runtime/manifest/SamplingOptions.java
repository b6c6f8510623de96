package org.diffuse4j.runtime.manifest;

import org.diffuse4j.api.plugin.Option;

/** The {@code sampling} section. */
public record SamplingOptions(
    @Option(doc = "solver plugin", def = "euler") Object solver,
    @Option(doc = "time grid plugin", def = "uniform") Object grid,
    @Option(doc = "solver steps (grid intervals)", def = "50", min = 1, max = 100000) int steps,
    @Option(doc = "number of samples", def = "2000", min = 1, max = 1e8) int n,
    @Option(doc = "chunk size B: samples per Session.run, rows [kB, (k+1)B) together (the last chunk padded); for one B, CPU and build the samples are bitwise the same whatever n is; another B changes them by float rounding only (up to 2e-5 measured, docs/reliability.md)", def = "1000", min = 1, max = 1e7) int batch_size,
    @Option(doc = "seed of the initial noise and solver noise (-1 = the manifest's seed)", def = "-1", min = -1) long seed,
    @Option(doc = "a .npy file of standard-normal initial noise (n × dim) instead of drawn noise ('none')", def = "none") String init,
    @Option(doc = "sample with the EMA weights when the checkpoint has them (training.ema > 0)", def = "true") boolean use_ema,
    @Option(doc = "class label of every sample (the condition): a class id, -1 = unconditional, or 'all' = sample i gets class i mod K", def = "-1") String label) {

  public SamplingOptions {
    if (!label.equals("all")) {
      try {
        if (Integer.parseInt(label.trim()) < -1) {
          throw new IllegalArgumentException("label must be a class id >= 0, -1 (unconditional) or 'all', got " + label);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("label must be a class id >= 0, -1 (unconditional) or 'all', got '" + label + "'");
      }
    }
  }

  /**
   * The class of sample {@code i} for data with {@code classes} classes: the fixed id, i mod classes
   * for 'all', or -1 (unconditional).
   */
  public int labelOf(long i, int classes) {
    if (label.equals("all")) {
      if (classes <= 0) {
        throw new IllegalArgumentException("sampling.label: 'all' needs labelled data; this data set has no classes");
      }
      return (int) (i % classes);
    }
    return Integer.parseInt(label.trim());
  }

  /** Whether samples are drawn unconditionally. */
  public boolean unconditional() {
    return label.trim().equals("-1");
  }
}
