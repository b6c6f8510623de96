package org.diffuse4j.api.plugin;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of plugin, with the name each has in manifests and on the command line. */
public enum Kind {
  /** Noise schedules α(t), σ(t). */
  SCHEDULE("schedule"),
  /** Time grids for sampling. */
  GRID("grid"),
  /** What the network predicts (ε, x0, velocity, …). */
  PARAMETERISATION("parameterisation"),
  /** Training losses. */
  OBJECTIVE("objective"),
  /** Samplers that integrate the reverse process. */
  SOLVER("solver"),
  /** Guidance (classifier-free and others). */
  GUIDANCE("guidance"),
  /** Networks. */
  NETWORK("network"),
  /** Data sets. */
  DATA("data");

  private final String id;

  Kind(String id) {
    this.id = id;
  }

  /**
   * Lower-case name as used in manifests and the CLI.
   *
   * @return the lower-case id, e.g. {@code schedule}
   */
  public String id() {
    return id;
  }

  /**
   * Looks a kind up by its id, failing with the list of kinds.
   *
   * @param id a kind's id, in any case
   * @return the kind with that id
   * @throws OptionException if no kind has that id
   */
  public static Kind of(String id) {
    for (Kind k : values()) {
      if (k.id.equals(id.toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new OptionException(
        "unknown plugin kind '" + id + "'; kinds are "
            + Arrays.stream(values()).map(Kind::id).collect(Collectors.joining(", ")));
  }
}
