package org.diffuse4j.api.plugin;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares one option of a plugin's options record: a one-line doc, a default (parsed to the
 * component's type; empty means required) and, for numbers, an inclusive range.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Option {
  /**
   * What the option means, as {@code describe} shows it.
   *
   * @return a one-line description
   */
  String doc();

  /**
   * The default value as text; empty for a required option.
   *
   * @return the default in the manifest's syntax, or empty when the option must be given
   */
  String def() default "";

  /**
   * The smallest allowed value of a numeric option.
   *
   * @return the inclusive lower bound; −∞ when unbounded
   */
  double min() default Double.NEGATIVE_INFINITY;

  /**
   * The largest allowed value of a numeric option.
   *
   * @return the inclusive upper bound; +∞ when unbounded
   */
  double max() default Double.POSITIVE_INFINITY;
}
