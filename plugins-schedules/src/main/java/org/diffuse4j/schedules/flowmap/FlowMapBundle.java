package org.diffuse4j.schedules.flowmap;

import static org.diffuse4j.api.plugin.Kind.PARAMETERISATION;

import java.util.List;
import org.diffuse4j.api.plugin.NoOptions;
import org.diffuse4j.api.plugin.Option;
import org.diffuse4j.api.plugin.PluginBundle;
import org.diffuse4j.api.plugin.PluginInfo;
import org.diffuse4j.api.plugin.PluginProvider;

/** Two-time parameterisations of flow-map models (table: docs/few-step.md). */
public final class FlowMapBundle implements PluginBundle {

  /** Options of the {@code consistency} parameterisation. */
  public record ConsistencyOptions(
      @Option(doc = "data standard deviation σ_data of c_skip and c_out", def = "0.5", min = 1e-9) double sigma_data,
      @Option(doc = "σ/α where f(x, t) = x/α (Song et al.'s ε)", def = "0.002", min = 0) double sigma_min) {}

  @Override
  public List<PluginProvider<?>> providers() {
    return List.of(
        PluginProvider.of(
            new PluginInfo(PARAMETERISATION, "ctm", "flow map G = (t/s) x + (1 − t/s) g_θ(x, s, t)",
                "Kim et al. 2024, Consistency Trajectory Models, eq. 4; seed 001 L188"),
            NoOptions.class, o -> new CtmParameterisation()),
        PluginProvider.of(
            new PluginInfo(PARAMETERISATION, "meanflow", "flow map G = x + (t − s) h_θ(x, s, t), h the average velocity",
                "Geng et al. 2025, Mean Flows, eq. 3–4; seed 001 L200"),
            NoOptions.class, o -> new MeanFlowParameterisation()),
        PluginProvider.of(
            new PluginInfo(PARAMETERISATION, "consistency",
                "consistency function f = c_skip x/α + c_out F_θ with f = x/α at σ/α = sigma_min",
                "Song et al. 2023, Consistency Models, Appendix C"),
            ConsistencyOptions.class, o -> new ConsistencyParameterisation(o.sigma_data(), o.sigma_min())));
  }
}
