package org.diffuse4j.api.plugin;

import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Makes one named plugin from its typed options record. A jar lists its providers through a
 * {@link PluginBundle}; the runtime validates manifest options against {@link #optionsType()} with
 * {@link Options#bind} before calling {@link #create}.
 *
 * @param <O> the options record (annotated with {@link Option})
 */
public interface PluginProvider<O extends Record> {

  /**
   * Kind, name, description and reference of the plugin.
   *
   * @return the plugin's metadata
   */
  PluginInfo info();

  /**
   * The record type of the plugin's options.
   *
   * @return the options record class, whose components carry {@link Option}
   */
  Class<O> optionsType();

  /**
   * Builds the plugin (a Schedule, Solver, … as its kind says).
   *
   * @param options the bound and validated options
   * @param context builds the plugins this one wraps, with key paths relative to this plugin
   * @return the plugin, an instance of the type its kind stands for
   */
  Object create(O options, PluginContext context);

  /**
   * A provider from a lambda that needs no context.
   *
   * @param <O> the options record type
   * @param info the plugin's metadata
   * @param optionsType the options record class
   * @param factory builds the plugin from its options
   * @return a provider that ignores its context
   */
  static <O extends Record> PluginProvider<O> of(
      PluginInfo info, Class<O> optionsType, Function<O, ?> factory) {
    return of(info, optionsType, (o, c) -> factory.apply(o));
  }

  /**
   * A provider from a lambda that may build other plugins through the context.
   *
   * @param <O> the options record type
   * @param info the plugin's metadata
   * @param optionsType the options record class
   * @param factory builds the plugin from its options and the context
   * @return the provider
   */
  static <O extends Record> PluginProvider<O> of(
      PluginInfo info, Class<O> optionsType, BiFunction<O, PluginContext, ?> factory) {
    return new PluginProvider<>() {
      @Override
      public PluginInfo info() {
        return info;
      }

      @Override
      public Class<O> optionsType() {
        return optionsType;
      }

      @Override
      public Object create(O options, PluginContext context) {
        return factory.apply(options, context);
      }
    };
  }
}
