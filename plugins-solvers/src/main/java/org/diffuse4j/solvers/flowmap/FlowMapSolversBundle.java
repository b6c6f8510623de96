package org.diffuse4j.solvers.flowmap;

import static org.diffuse4j.api.plugin.Kind.SOLVER;

import java.util.List;
import org.diffuse4j.api.plugin.NoOptions;
import org.diffuse4j.api.plugin.Option;
import org.diffuse4j.api.plugin.PluginBundle;
import org.diffuse4j.api.plugin.PluginInfo;
import org.diffuse4j.api.plugin.PluginProvider;

/** Few-step samplers for flow-map and consistency models (table: docs/few-step.md). */
public final class FlowMapSolversBundle implements PluginBundle {

  /** Options of {@code multistep-consistency}. */
  public record MultistepOptions(
      @Option(doc = "scale of the re-noising (diffusers' s_noise)", def = "1", min = 0) double s_noise) {}

  /** Options of {@code tcd}. */
  public record TcdOptions(
      @Option(doc = "γ: the jump overshoots to (1 − γ)·t_next, then re-noises (0 = deterministic, 1 = multistep consistency)",
          def = "0.3", min = 0, max = 1) double gamma,
      @Option(doc = "round the overshoot on a discrete schedule of this many entries as diffusers does; 0 = continuous",
          def = "0", min = 0, max = 1e7) int train_steps) {}

  /** Options of {@code lcm}. */
  public record LcmOptions(
      @Option(doc = "τ = timestep_scaling · discrete timestep in c_skip, c_out", def = "10", min = 0) double timestep_scaling,
      @Option(doc = "N of the discrete schedule (timestep i at t = (i + 1)/N)", def = "1000", min = 1, max = 1e7) int train_steps,
      @Option(doc = "σ_data of c_skip, c_out", def = "0.5", min = 1e-9) double sigma_data) {}

  private static PluginInfo info(String name, String description, String paper) {
    return new PluginInfo(SOLVER, name, description, paper);
  }

  @Override
  public List<PluginProvider<?>> providers() {
    return List.of(
        PluginProvider.of(info("flow-map", "chain the flow map over the grid: x ← G(x, t_k, t_k+1); 1 step = one jump",
                "seed 001 L177; Kim et al. 2024, CTM §5"),
            NoOptions.class, o -> new FlowMapChain()),
        PluginProvider.of(info("multistep-consistency", "jump to the grid's end, re-noise to the next time, repeat",
                "Song et al. 2023, Consistency Models, Alg. 1"),
            MultistepOptions.class, o -> new MultistepConsistency(o.s_noise())),
        PluginProvider.of(info("tcd", "jump to (1 − γ)·t_next, re-noise to t_next (γ-sampling)",
                "Zheng et al. 2024, TCD, eq. 17; Kim et al. 2024, CTM, Alg. 2"),
            TcdOptions.class, o -> new Tcd(o.gamma(), o.train_steps())),
        PluginProvider.of(info("lcm", "consistency boundary on the model's x̂0, then re-noise to the next time",
                "Luo et al. 2023, Latent Consistency Models, Alg. 3"),
            LcmOptions.class, o -> new Lcm(o.timestep_scaling(), o.train_steps(), o.sigma_data())));
  }
}
