package org.diffuse4j.api.plugin;

/**
 * Lets a plugin build other plugins it wraps (a shifted schedule wraps a base schedule, an objective
 * may name a coupling, …). {@code spec} is a plugin name or a map with {@code name} and options.
 */
public interface PluginContext {

  <T> T create(Kind kind, Object spec, String path);
}
