package org.diffuse4j.api.plugin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The names users know from other libraries (k-diffusion, ComfyUI, A1111, diffusers), each mapped
 * to a plugin of this project with options. A name is written {@code library:name} (always
 * resolvable) or bare (resolvable when no plugin of the kind has that name and only one library
 * uses it). Where a library's name means a different method than ours, the alias says so:
 * k-diffusion's {@code euler} is DDIM in σ/α, our {@code euler} integrates in t.
 */
public final class KnownNames {
  private KnownNames() {}

  /**
   * One alias.
   *
   * @param kind the plugin kind
   * @param library k-diffusion, comfyui, a1111 or diffusers
   * @param name the name in that library
   * @param target our plugin
   * @param options options that make our plugin the library's method
   * @param grid the grid that goes with it (A1111 names such as "DPM++ 2M Karras"), or null
   * @param note what differs, or empty
   */
  public record Alias(Kind kind, String library, String name, String target, Map<String, Object> options,
      String grid, String note) {
    /**
     * The spec {@code {name: target, options…}} with {@code overrides} applied on top.
     *
     * @param overrides user options that replace the alias's options of the same key
     * @return a new mutable map of the alias's options with the overrides applied
     */
    public Map<String, Object> spec(Map<String, Object> overrides) {
      Map<String, Object> m = new LinkedHashMap<>(options);
      m.putAll(overrides);
      return m;
    }

    /**
     * {@code library:name}.
     *
     * @return the library and the name joined by a colon, e.g. {@code k-diffusion:euler}
     */
    public String qualified() {
      return library + ":" + name;
    }
  }

  private static final List<Alias> ALL = new ArrayList<>();

  private static void solver(String library, String name, String target, Map<String, Object> options, String grid, String note) {
    ALL.add(new Alias(Kind.SOLVER, library, name, target, options, grid, note));
  }

  private static void grid(String library, String name, String target, Map<String, Object> options, String note) {
    ALL.add(new Alias(Kind.GRID, library, name, target, options, null, note));
  }

  static {
    String sigma = "k-diffusion integrates in σ/α (our ddim clock); our 'euler' integrates in t";
    // k-diffusion sample_* and ComfyUI sampler names (ComfyUI uses the k-diffusion names)
    for (String lib : new String[] {"k-diffusion", "comfyui"}) {
      solver(lib, "euler", "ddim", Map.of(), null, sigma);
      solver(lib, "euler_ancestral", "euler-ancestral", Map.of(), null, "");
      solver(lib, "heun", "edm-stochastic", Map.of("s_churn", 0.0), null, "Heun in σ/α; our 'heun' integrates in t");
      solver(lib, "dpm_2", "dpm-2", Map.of(), null, "");
      solver(lib, "dpm_2_ancestral", "dpm-2-ancestral", Map.of(), null, "");
      solver(lib, "lms", "lms", Map.of(), null, "");
      solver(lib, "dpm_fast", "dpm-solver", Map.of("order", 3, "budget", true), null,
          "the steps are the call budget, split into orders 3, …, 2, 1; k-diffusion's grid is K λ-uniform steps cut into thirds");
      solver(lib, "dpmpp_2s_ancestral", "dpmpp-2s-ancestral", Map.of(), null, "");
      solver(lib, "dpmpp_3m_sde", "dpmpp-3m-sde", Map.of(), null, "");
      solver(lib, "dpmpp_sde", "dpmpp-sde", Map.of(), null, "independent normals per sub-step instead of a Brownian tree");
      solver(lib, "dpmpp_2m", "dpmpp-2m", Map.of("lower_order_final", false), null, "");
      solver(lib, "dpmpp_2m_sde", "dpmpp-2m-sde", Map.of("lower_order_final", false), null, "midpoint form");
      solver(lib, "ddpm", "ddpm", Map.of(), null, "");
      solver(lib, "ipndm", "ipndm", Map.of("lower_order_final", false), null, "");
      solver(lib, "deis", "dpm-solver-multistep", Map.of("order", 3, "lower_order_final", false), null,
          "ComfyUI's deis is the log-ρ (tab) DEIS = multistep DPM-Solver in ε̂");
      solver(lib, "res_multistep", "res-multistep", Map.of("lower_order_final", false), null, "");
      solver(lib, "dpm_adaptive", "dpm-adaptive", Map.of(), null,
          "one adaptive run from σ_max to σ_min = a grid of one interval; here every row has its own steps");
    }
    solver("comfyui", "ddim", "ddim", Map.of(), null, "");
    solver("comfyui", "heunpp2", "heunpp2", Map.of(), null, "");
    solver("comfyui", "er_sde", "er-sde", Map.of(), null, "S₁, S₂ integrated exactly, where ComfyUI sums 200 points");
    solver("comfyui", "sa_solver", "sa-solver", Map.of(), null, "τ's interval in t, where ComfyUI reads it in σ (the same points)");
    solver("comfyui", "sa_solver_pece", "sa-solver", Map.of("use_pece", true), null,
        "τ's interval in t, where ComfyUI reads it in σ (the same points); 2 calls per step after the first");
    String unipc = "UniPC's lower_order_final rule (every N); the plugin's default lowers below 10 steps only";
    solver("comfyui", "uni_pc", "unipc", Map.of("variant", "bh1", "lower_order_final", "always"), null, unipc);
    solver("comfyui", "uni_pc_bh2", "unipc", Map.of("lower_order_final", "always"), null, unipc);
    // A1111 display names: solver + grid
    solver("a1111", "Euler", "ddim", Map.of(), null, sigma);
    solver("a1111", "Euler a", "euler-ancestral", Map.of(), null, "");
    solver("a1111", "Heun", "edm-stochastic", Map.of("s_churn", 0.0), null, "");
    solver("a1111", "DPM2", "dpm-2", Map.of(), null, "");
    solver("a1111", "DPM2 a", "dpm-2-ancestral", Map.of(), null, "");
    solver("a1111", "LMS", "lms", Map.of(), null, "");
    solver("a1111", "LMS Karras", "lms", Map.of(), "karras", "");
    solver("a1111", "DPM++ 2M", "dpmpp-2m", Map.of("lower_order_final", false), null, "");
    solver("a1111", "DPM++ 2M Karras", "dpmpp-2m", Map.of("lower_order_final", false), "karras", "");
    solver("a1111", "DPM++ SDE", "dpmpp-sde", Map.of(), null, "");
    solver("a1111", "DPM++ 2S a", "dpmpp-2s-ancestral", Map.of(), null, "");
    solver("a1111", "DPM++ 3M SDE", "dpmpp-3m-sde", Map.of(), null, "");
    solver("a1111", "DPM++ SDE Karras", "dpmpp-sde", Map.of(), "karras", "");
    solver("a1111", "DPM++ 2M SDE", "dpmpp-2m-sde", Map.of("lower_order_final", false), null, "");
    solver("a1111", "DPM++ 2M SDE Karras", "dpmpp-2m-sde", Map.of("lower_order_final", false), "karras", "");
    solver("a1111", "DDIM", "ddim", Map.of(), "discrete-leading", "");
    solver("a1111", "PLMS", "plms", Map.of(), "discrete-leading", "");
    solver("a1111", "UniPC", "unipc", Map.of("lower_order_final", "always"), null, unipc);
    // diffusers scheduler classes (default configuration)
    solver("diffusers", "DDIMScheduler", "ddim", Map.of(), "discrete-leading", "");
    solver("diffusers", "DDPMScheduler", "ddpm", Map.of(), "discrete-leading", "");
    solver("diffusers", "PNDMScheduler", "pndm", Map.of(), "discrete-leading", "skip_prk_steps=True is our 'plms'");
    solver("diffusers", "LMSDiscreteScheduler", "lms", Map.of("lower_order_final", false), "discrete-linspace", "");
    solver("diffusers", "EulerDiscreteScheduler", "ddim", Map.of(), "discrete-linspace", sigma);
    solver("diffusers", "EulerAncestralDiscreteScheduler", "euler-ancestral", Map.of(), "discrete-linspace", "");
    solver("diffusers", "HeunDiscreteScheduler", "edm-stochastic", Map.of("s_churn", 0.0), "discrete-linspace", "");
    solver("diffusers", "KDPM2DiscreteScheduler", "dpm-2", Map.of(), "discrete-linspace", "");
    solver("diffusers", "KDPM2AncestralDiscreteScheduler", "dpm-2-ancestral", Map.of(), "discrete-linspace", "");
    solver("diffusers", "DPMSolverMultistepScheduler", "dpmpp-2m", Map.of(), "discrete-linspace",
        "lower_order_final below 15 steps there, below 10 here");
    solver("diffusers", "DPMSolverSinglestepScheduler", "dpmpp-2s", Map.of(), "discrete-linspace", "");
    solver("diffusers", "DEISMultistepScheduler", "dpm-solver-multistep", Map.of("order", 3), "discrete-linspace", "");
    solver("diffusers", "UniPCMultistepScheduler", "unipc", Map.of("lower_order_final", "always"), "discrete-linspace", unipc);
    solver("diffusers", "FlowMatchEulerDiscreteScheduler", "euler", Map.of(), null, "identical on rectified flow");
    solver("diffusers", "LCMScheduler", "lcm", Map.of(), null,
        "the grid is yours (diffusers picks timesteps from 50 leading ones); end it at t = 0");
    solver("diffusers", "TCDScheduler", "tcd", Map.of("train_steps", 1000), null,
        "diffusers' step(eta=…) is TCD's γ (our gamma), not DDIM's η");
    solver("diffusers", "CMStochasticIterativeScheduler", "multistep-consistency", Map.of(), "karras",
        "the model is a consistency flow map (parameterisation consistency); the grid ends at σ_min");
    // ComfyUI scheduler names
    grid("comfyui", "karras", "karras", Map.of("to_zero", true), "");
    grid("comfyui", "exponential", "exponential", Map.of("to_zero", true), "");
    grid("comfyui", "sgm_uniform", "sgm-uniform", Map.of(), "");
    grid("comfyui", "ddim_uniform", "ddim-uniform", Map.of(), "");
    grid("comfyui", "kl_optimal", "kl-optimal", Map.of("to_zero", true), "");
    grid("comfyui", "linear_quadratic", "linear-quadratic", Map.of(), "");
    grid("comfyui", "AYS SDXL", "ays", Map.of("model", "sdxl"), "");
    grid("comfyui", "AYS SD1", "ays", Map.of("model", "sd1"), "");
    grid("comfyui", "AYS SVD", "ays", Map.of("model", "svd"), "");
  }

  /**
   * Every alias.
   *
   * @return an unmodifiable list of all aliases, in registration order
   */
  public static List<Alias> all() {
    return List.copyOf(ALL);
  }

  /**
   * The aliases whose target is {@code target} (for {@code describe}).
   *
   * @param kind the plugin kind
   * @param target the name of our plugin
   * @return the aliases of that kind that map to {@code target}, possibly empty
   */
  public static List<Alias> of(Kind kind, String target) {
    return ALL.stream().filter(a -> a.kind() == kind && a.target().equals(target)).toList();
  }

  /**
   * The alias a name refers to: {@code library:name} exactly (library case-insensitive), or a bare
   * name used by exactly one target (several libraries may share it if they agree); null if none.
   *
   * @param kind the plugin kind to look in
   * @param name {@code library:name} or a bare name
   * @return the alias, or null when none matches or a bare name is ambiguous
   */
  public static Alias find(Kind kind, String name) {
    int colon = name.indexOf(':');
    if (colon > 0) {
      String lib = name.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String n = name.substring(colon + 1).trim();
      return ALL.stream().filter(a -> a.kind() == kind && a.library().equals(lib) && a.name().equals(n))
          .findFirst().orElse(null);
    }
    List<Alias> hits = ALL.stream().filter(a -> a.kind() == kind && a.name().equals(name)).toList();
    if (hits.isEmpty() || hits.stream().map(a -> a.target() + a.options() + a.grid()).distinct().count() > 1) {
      return null;
    }
    return hits.get(0);
  }
}
