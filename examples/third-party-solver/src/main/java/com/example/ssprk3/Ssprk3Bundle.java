package com.example.ssprk3;

import java.util.List;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.NoOptions;
import org.diffuse4j.api.plugin.PluginBundle;
import org.diffuse4j.api.plugin.PluginInfo;
import org.diffuse4j.api.plugin.PluginProvider;

/** Registers the {@code ssprk3} solver; listed in META-INF/services/org.diffuse4j.api.plugin.PluginBundle. */
public final class Ssprk3Bundle implements PluginBundle {

  @Override
  public List<PluginProvider<?>> providers() {
    return List.of(
        PluginProvider.of(
            new PluginInfo(Kind.SOLVER, "ssprk3", "Shu–Osher SSP Runge–Kutta of order 3 (third-party example)",
                "Shu & Osher 1988, Efficient implementation of essentially non-oscillatory shock-capturing schemes"),
            NoOptions.class,
            o -> new Ssprk3()));
  }
}
