package org.diffuse4j.api.plugin;

/**
 * A plugin's metadata: kind, unique name within its kind, a one-line description and the paper or
 * equation it implements.
 *
 * @param kind the plugin kind
 * @param name the name, unique within the kind: lower-case letters, digits, '-' or '+'
 * @param description a one-line description
 * @param reference the paper or equation the plugin implements
 */
public record PluginInfo(Kind kind, String name, String description, String reference) {

  /**
   * Checks the name: lower-case letters, digits, '-' or '+'.
   *
   * @param kind the plugin kind
   * @param name the name, unique within the kind: lower-case letters, digits, '-' or '+'
   * @param description a one-line description
   * @param reference the paper or equation the plugin implements
   */
  public PluginInfo {
    if (name == null || !name.matches("[a-z0-9][a-z0-9+\\-]*")) {
      throw new IllegalArgumentException(
          "plugin name '" + name + "' must be lower-case letters, digits, '-' or '+', starting with a letter or a digit");
    }
  }
}
