package org.diffuse4j.api.plugin;

import java.util.List;

/**
 * The service a plugin jar exposes: list its class in
 * {@code META-INF/services/org.diffuse4j.api.plugin.PluginBundle}. The runtime finds it with
 * {@link java.util.ServiceLoader} and binds each provider by kind and name.
 */
public interface PluginBundle {

  /**
   * The providers this jar contributes.
   *
   * @return the providers, each with a kind and a name unique within the kind
   */
  List<PluginProvider<?>> providers();
}
