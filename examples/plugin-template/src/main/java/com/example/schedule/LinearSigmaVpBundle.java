package com.example.schedule;

import java.util.List;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.NoOptions;
import org.diffuse4j.api.plugin.PluginBundle;
import org.diffuse4j.api.plugin.PluginInfo;
import org.diffuse4j.api.plugin.PluginProvider;

/** Registers the schedule as {@code linear-sigma-vp} (listed in META-INF/services). */
public final class LinearSigmaVpBundle implements PluginBundle {

  @Override
  public List<PluginProvider<?>> providers() {
    return List.of(PluginProvider.of(
        new PluginInfo(Kind.SCHEDULE, "linear-sigma-vp", "variance preserving with σ = t, α = √(1 − t²)", "template"),
        NoOptions.class, o -> new LinearSigmaVp()));
  }
}
