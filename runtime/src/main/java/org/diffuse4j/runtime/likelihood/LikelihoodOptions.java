package org.diffuse4j.runtime.likelihood;

import org.diffuse4j.api.plugin.OptionException;

/**
 * How a likelihood is computed.
 *
 * @param divergence exact trace (d gradients per evaluation) or Hutchinson's estimator
 * @param probe the Hutchinson probe distribution
 * @param probes Hutchinson probes per sample (K ≥ 1; K ≥ 2 also gives the estimator's own standard error)
 * @param prior the log-density of x at t_max: {@code gaussian} N(0, σ(t_max)² I) or, for the
 *     {@code gmm} network, the {@code exact} marginal q_{t_max}
 * @param seed seed of the probes (probe k of sample i is CounterNoise stream k + 1 of (seed, i))
 */
public record LikelihoodOptions(Divergence divergence, Probe probe, int probes, Prior prior, long seed) {

  /** How ∇·v is computed. */
  public enum Divergence { EXACT, HUTCHINSON }

  /** Hutchinson probe distribution: both have E[z zᵀ] = I. */
  public enum Probe { GAUSSIAN, RADEMACHER }

  /** The density of x_{t_max}. */
  public enum Prior { GAUSSIAN, EXACT }

  public LikelihoodOptions {
    if (divergence == Divergence.HUTCHINSON && probes < 1) {
      throw new OptionException("--probes must be >= 1 for the Hutchinson estimator, got " + probes);
    }
  }

  /** Exact divergence with the Gaussian prior. */
  public static LikelihoodOptions exact() {
    return new LikelihoodOptions(Divergence.EXACT, Probe.GAUSSIAN, 1, Prior.GAUSSIAN, 0);
  }

  /** Hutchinson with K probes of the given kind and the Gaussian prior. */
  public static LikelihoodOptions hutchinson(int probes, Probe kind, long seed) {
    return new LikelihoodOptions(Divergence.HUTCHINSON, kind, probes, Prior.GAUSSIAN, seed);
  }

  /** The same options with another prior. */
  public LikelihoodOptions withPrior(Prior p) {
    return new LikelihoodOptions(divergence, probe, probes, p, seed);
  }

  /** Parses a case-insensitive enum value, naming the allowed values on failure. */
  public static <E extends Enum<E>> E parse(Class<E> type, String value, String option) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value)) {
        return e;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (E e : type.getEnumConstants()) {
      allowed.append(allowed.length() == 0 ? "" : ", ").append(e.name().toLowerCase());
    }
    throw new OptionException("value '" + value + "' for " + option + " is not allowed; allowed values: " + allowed);
  }
}
