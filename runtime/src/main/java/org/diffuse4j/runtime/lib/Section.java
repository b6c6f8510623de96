package org.diffuse4j.runtime.lib;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;

/** The keys set in one manifest section, and the plugin instances they name; shared by {@link Training} and {@link Sampling}. */
final class Section {
  /** A plugin object registered for one experiment under its name. */
  record Instance(Kind kind, Plugin plugin) {}

  private Section() {}

  /** The section's map with {@code key} set to {@code value}. */
  static Map<String, Object> with(Map<String, Object> values, String key, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(values);
    copy.put(key, value);
    return Collections.unmodifiableMap(copy);
  }

  /** A section read from a manifest tree: a map of options (or absent). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> read(Object raw, String path) {
    if (raw == null || "{}".equals(raw)) {
      return Map.of();
    }
    if (raw instanceof Map<?, ?> m) {
      return Collections.unmodifiableMap(new LinkedHashMap<>((Map<String, Object>) m));
    }
    throw new OptionException("wrong type for '" + path + "': expected a map of options, got '" + raw + "'");
  }

  /** {@code instances} with the one of {@code plugin} (if it is an instance) in place of any of the same kind and key. */
  static List<Instance> instances(List<Instance> instances, Kind kind, Plugin plugin) {
    List<Instance> out = new java.util.ArrayList<>(instances.stream().filter(i -> i.kind() != kind).toList());
    if (plugin.instance() != null) {
      out.add(new Instance(kind, plugin));
    }
    return List.copyOf(out);
  }
}
