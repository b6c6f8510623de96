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

  /** Kind, name, description and reference of the plugin. */
  PluginInfo info();

  /** The record type of the plugin's options. */
  Class<O> optionsType();

  /** Builds the plugin (a Schedule, Solver, … as its kind says). */
  Object create(O options, PluginContext context);

  /** A provider from a lambda that needs no context. */
  static <O extends Record> PluginProvider<O> of(
      PluginInfo info, Class<O> optionsType, Function<O, ?> factory) {
    return of(info, optionsType, (o, c) -> factory.apply(o));
  }

  /** A provider from a lambda that may build other plugins through the context. */
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
