package org.diffuse4j.schedules;

import static org.diffuse4j.api.plugin.Kind.GRID;
import static org.diffuse4j.api.plugin.Kind.PARAMETERISATION;
import static org.diffuse4j.api.plugin.Kind.SCHEDULE;

import java.util.List;
import org.diffuse4j.api.plugin.NoOptions;
import org.diffuse4j.api.plugin.Option;
import org.diffuse4j.api.plugin.PluginBundle;
import org.diffuse4j.api.plugin.PluginInfo;
import org.diffuse4j.api.plugin.PluginProvider;

/** Schedules, time grids and parameterisations shipped with Diffuse4J. */
public final class SchedulesBundle implements PluginBundle {

  /** Options of {@code vp}. */
  public record VpOptions(
      @Option(doc = "β at t = 0", def = "0.1", min = 1e-6) double beta_min,
      @Option(doc = "β at t = 1", def = "20", min = 1e-6) double beta_max) {}

  /** Options of {@code uniform}. */
  public record UniformOptions(
      @Option(doc = "first (largest) time; -1 = the schedule's t_max", def = "-1", max = 1) double t_max,
      @Option(doc = "last (smallest) time; -1 = the schedule's t_min", def = "-1", max = 1) double t_min) {}

  @Override
  public List<PluginProvider<?>> providers() {
    return List.of(
        PluginProvider.of(
            new PluginInfo(SCHEDULE, "rectified-flow", "linear path α = 1 − t, σ = t",
                "Liu et al. 2022, Flow straight and fast; Lipman et al. 2023"),
            NoOptions.class, o -> new RectifiedFlow()),
        PluginProvider.of(
            new PluginInfo(SCHEDULE, "vp", "variance preserving, linear β(t); α = exp(−½∫β), σ = √(1 − α²)",
                "Song et al. 2021, Score-based generative modeling through SDEs"),
            VpOptions.class, o -> new VariancePreserving(o.beta_min(), o.beta_max())),
        PluginProvider.of(
            new PluginInfo(GRID, "uniform", "times uniform in t from t_max to t_min", "Ho et al. 2020; Song et al. 2021"),
            UniformOptions.class, o -> new UniformGrid(o.t_max(), o.t_min())),
        PluginProvider.of(
            new PluginInfo(PARAMETERISATION, "velocity", "network predicts dx/dt = α̇ x0 + σ̇ ε (flow matching)",
                "Lipman et al. 2023; seed 003 eq. 9"),
            NoOptions.class, o -> new VelocityParameterisation()),
        PluginProvider.of(
            new PluginInfo(PARAMETERISATION, "eps", "network predicts the noise ε", "Ho et al. 2020, DDPM"),
            NoOptions.class, o -> new EpsParameterisation()));
  }
}
