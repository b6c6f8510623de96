package org.diffuse4j.api.plugin;

/**
 * Lets a plugin build other plugins it wraps (a shifted schedule wraps a base schedule, an objective
 * may name a coupling, …). {@code spec} is a plugin name or a map with {@code name} and options.
 *
 * <p>The context a plugin is given knows where that plugin sits in the manifest: {@code path} is
 * relative to it (an objective builds its {@code time.schedule}; the error then names
 * {@code objective.time.schedule}), and {@link #path(String)} gives the full key path for messages.
 */
public interface PluginContext {

  /**
   * Builds the plugin of {@code kind} that {@code spec} names, at key path {@code path} relative to this plugin.
   *
   * @param <T> the plugin type of {@code kind}, e.g. {@code Schedule} for {@link Kind#SCHEDULE}
   * @param kind the kind of plugin to build
   * @param spec a plugin name, or a map with {@code name} and options
   * @param path the key path of {@code spec} relative to this plugin, for error messages
   * @return the built plugin
   */
  <T> T create(Kind kind, Object spec, String path);

  /**
   * The full key path of {@code relative} under the plugin being built ({@code ""}: the plugin's own path).
   *
   * @param relative a key path relative to the plugin being built
   * @return the full key path from the manifest's root
   */
  default String path(String relative) {
    return relative;
  }
}
