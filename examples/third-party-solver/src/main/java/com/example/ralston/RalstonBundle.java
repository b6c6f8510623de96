package com.example.ralston;

import java.util.List;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.NoOptions;
import org.diffuse4j.api.plugin.PluginBundle;
import org.diffuse4j.api.plugin.PluginInfo;
import org.diffuse4j.api.plugin.PluginProvider;

/** Registers the {@code ralston} solver; listed in META-INF/services/org.diffuse4j.api.plugin.PluginBundle. */
public final class RalstonBundle implements PluginBundle {

  @Override
  public List<PluginProvider<?>> providers() {
    return List.of(
        PluginProvider.of(
            new PluginInfo(Kind.SOLVER, "ralston", "Ralston's 2nd-order Runge–Kutta (third-party example)",
                "Ralston 1962, Runge-Kutta methods with minimum error bounds"),
            NoOptions.class,
            o -> new Ralston()));
  }
}
