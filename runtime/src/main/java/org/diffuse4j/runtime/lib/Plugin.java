package org.diffuse4j.runtime.lib;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.diffuse4j.api.plugin.OptionException;

/**
 * A plugin for one manifest section: a name with options (as a manifest writes it, e.g.
 * {@code {name: mlp, width: 128}}), or an object of your own registered under a name for this
 * experiment only. Immutable.
 */
public final class Plugin {
  private final String name;
  private final Map<String, Object> options;
  private final Object instance;

  private Plugin(String name, Map<String, Object> options, Object instance) {
    this.name = Objects.requireNonNull(name, "plugin name");
    if (name.isBlank()) {
      throw new OptionException("a plugin name is empty; give a plugin's name, e.g. \"heun\" (diffuse4j plugins lists them)");
    }
    this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    this.instance = instance;
  }

  /**
   * The installed plugin {@code name} with its default options.
   *
   * @param name the plugin's name, as {@code diffuse4j plugins} lists it
   * @return the plugin
   */
  public static Plugin named(String name) {
    return new Plugin(name, Map.of(), null);
  }

  /**
   * The installed plugin {@code name} with {@code options} (the keys and values its manifest section takes).
   *
   * @param name the plugin's name, as {@code diffuse4j plugins} lists it
   * @param options its options, keyed as in the manifest
   * @return the plugin
   */
  public static Plugin named(String name, Map<String, ?> options) {
    Map<String, Object> copy = new LinkedHashMap<>();
    options.forEach((k, v) -> {
      if ("name".equals(k)) {
        throw new OptionException("the options of plugin '" + name + "' hold a key 'name'; the name is the first argument");
      }
      copy.put(k, v);
    });
    return new Plugin(name, copy, null);
  }

  /**
   * Your own plugin object (a Schedule, Solver, TimeGrid, Parameterisation, Objective, Guidance,
   * NetworkFactory or DataSet, as the section needs) under {@code name}, which must differ from every
   * installed plugin's. A manifest written from the experiment names it; whoever runs that manifest
   * needs a plugin jar providing that name.
   *
   * @param name the plugin's name, as {@code diffuse4j plugins} lists it
   * @param plugin the plugin object
   * @return the plugin
   */
  public static Plugin instance(String name, Object plugin) {
    return new Plugin(name, Map.of(), Objects.requireNonNull(plugin, "plugin instance"));
  }

  /**
   * This plugin with one more option (installed plugins only).
   *
   * @param key the option's key
   * @param value its value
   * @return the plugin
   */
  public Plugin with(String key, Object value) {
    if (instance != null) {
      throw new OptionException("plugin '" + name + "' is an instance; its options are those it was built with");
    }
    Map<String, Object> copy = new LinkedHashMap<>(options);
    copy.put(key, value);
    return named(name, copy);
  }

  /**
   * The plugin's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The options given (empty for defaults and for instances).
   *
   * @return the keys set, in manifest spelling
   */
  public Map<String, Object> options() {
    return options;
  }

  /**
   * The object given with {@link #instance}, or null for an installed plugin.
   *
   * @return the object, or null
   */
  public Object instance() {
    return instance;
  }

  /** The manifest form: the name alone, or a map of {@code name} and the options. */
  Object spec() {
    if (options.isEmpty()) {
      return name;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.putAll(options);
    return m;
  }

  /** A plugin from a manifest section (a name or a map with {@code name}). */
  static Plugin fromSpec(Object spec, String path) {
    if (spec instanceof String s) {
      return named(s);
    }
    if (spec instanceof Map<?, ?> m && m.get("name") instanceof String s) {
      Map<String, Object> rest = new LinkedHashMap<>();
      m.forEach((k, v) -> {
        if (!"name".equals(k)) {
          rest.put(String.valueOf(k), v);
        }
      });
      return named(s, rest);
    }
    throw new OptionException("wrong type for '" + path + "': expected a plugin name or a map with 'name', got " + spec);
  }

  @Override
  public String toString() {
    return instance != null ? name + " (instance of " + instance.getClass().getName() + ")" : String.valueOf(spec());
  }
}
