package org.diffuse4j.api.plugin;

/**
 * A configuration error: unknown key, wrong type, out-of-range value, unknown plugin. The message
 * names the key path, the allowed values and, for misspellings, the closest match.
 */
public class OptionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A configuration error with the message the user sees.
   *
   * @param message the message shown to the user, naming the key path and what is allowed
   */
  public OptionException(String message) {
    super(message);
  }

  /**
   * A configuration error caused by {@code cause} (kept for {@code --verbose}).
   *
   * @param message the message shown to the user, naming the key path and what is allowed
   * @param cause the underlying failure
   */
  public OptionException(String message, Throwable cause) {
    super(message, cause);
  }
}
