package org.diffuse4j.api.plugin;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of plugin, with the name each has in manifests and on the command line. */
public enum Kind {
  SCHEDULE("schedule"),
  GRID("grid"),
  PARAMETERISATION("parameterisation"),
  OBJECTIVE("objective"),
  SOLVER("solver"),
  GUIDANCE("guidance"),
  NETWORK("network"),
  DATA("data");

  private final String id;

  Kind(String id) {
    this.id = id;
  }

  /** Lower-case name as used in manifests and the CLI. */
  public String id() {
    return id;
  }

  /** Looks a kind up by its id, failing with the list of kinds. */
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
