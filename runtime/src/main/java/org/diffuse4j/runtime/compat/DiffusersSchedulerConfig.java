package org.diffuse4j.runtime.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.KnownNames;
import org.diffuse4j.api.plugin.OptionException;

/**
 * Reads a diffusers {@code scheduler_config.json} into this project's schedule, parameterisation,
 * grid and solver, as a manifest fragment ({@code schedule}, {@code parameterisation},
 * {@code sampling: {solver, grid}}):
 * <ul>
 *   <li>schedule: {@code discrete} with {@code beta_schedule} (linear, scaled_linear,
 *       squaredcos_cap_v2), {@code num_train_timesteps}, {@code beta_start}, {@code beta_end},
 *       {@code rescale_betas_zero_snr}; {@code trained_betas} is refused (give the table instead);</li>
 *   <li>parameterisation: {@code prediction_type} epsilon → eps, v_prediction → v, sample → x0,
 *       flow_prediction → velocity;</li>
 *   <li>grid: {@code use_karras_sigmas} → karras, {@code use_exponential_sigmas} → exponential,
 *       else {@code timestep_spacing} (leading with {@code steps_offset}, trailing, linspace; the
 *       class's default when absent) → discrete-leading / -trailing / -linspace;</li>
 *   <li>solver: the class through {@link KnownNames} ({@code diffusers:ClassName}), refined by
 *       {@code algorithm_type}, {@code solver_order}, {@code solver_type} (midpoint → dpmsolver,
 *       heun → taylor), {@code lower_order_final}, {@code skip_prk_steps}; DPMSolverMultistepScheduler's
 *       order-3 step is the official halved one, so order 3 sets {@code compat: dpm-solver}.</li>
 * </ul>
 * What cannot be carried over is listed in {@link Result#notes()}.
 */
public final class DiffusersSchedulerConfig {
  private DiffusersSchedulerConfig() {}

  /** The translation and what it could not carry over. */
  public record Result(Map<String, Object> manifest, List<String> notes) {}

  /** Reads the file. */
  public static Result read(Path file) {
    try {
      return translate(new ObjectMapper().readTree(Files.readString(file)), file.toString());
    } catch (IOException e) {
      throw new OptionException("cannot read diffusers config '" + file + "': " + e.getMessage()
          + "; give the path of a scheduler_config.json");
    }
  }

  /** Translates a parsed config; {@code where} names it in errors. */
  public static Result translate(JsonNode c, String where) {
    List<String> notes = new ArrayList<>();
    String cls = text(c, "_class_name", "");
    if (c.hasNonNull("trained_betas")) {
      throw new OptionException("'" + where + "': trained_betas is not supported; use schedule 'discrete' with the "
          + "kind and range that produced them");
    }
    Map<String, Object> schedule = new LinkedHashMap<>();
    schedule.put("name", "discrete");
    String kind = text(c, "beta_schedule", "linear");
    schedule.put("beta_schedule", switch (kind) {
      case "linear" -> "linear";
      case "scaled_linear" -> "scaled-linear";
      case "squaredcos_cap_v2" -> "squaredcos-cap-v2";
      default -> throw new OptionException("'" + where + "': beta_schedule '" + kind
          + "' is not supported; supported: linear, scaled_linear, squaredcos_cap_v2");
    });
    int n = c.path("num_train_timesteps").asInt(1000);
    schedule.put("train_steps", n);
    if (!kind.equals("squaredcos_cap_v2")) {
      schedule.put("beta_start", c.path("beta_start").asDouble(0.0001));
      schedule.put("beta_end", c.path("beta_end").asDouble(0.02));
    }
    if (c.path("rescale_betas_zero_snr").asBoolean(false)) {
      schedule.put("rescale_zero_snr", true);
    }
    String pred = text(c, "prediction_type", "epsilon");
    String parameterisation = switch (pred) {
      case "epsilon" -> "eps";
      case "v_prediction" -> "v";
      case "sample" -> "x0";
      case "flow_prediction" -> "velocity";
      default -> throw new OptionException("'" + where + "': prediction_type '" + pred
          + "' is not supported; supported: epsilon, v_prediction, sample, flow_prediction");
    };
    Map<String, Object> grid = new LinkedHashMap<>();
    if (c.path("use_karras_sigmas").asBoolean(false)) {
      grid.put("name", "karras");
      grid.put("to_zero", true);
    } else if (c.path("use_exponential_sigmas").asBoolean(false)) {
      grid.put("name", "exponential");
      grid.put("to_zero", true);
    } else {
      boolean leadingByDefault = List.of("DDIMScheduler", "PNDMScheduler", "DDPMScheduler").contains(cls);
      String spacing = text(c, "timestep_spacing", leadingByDefault ? "leading" : "linspace");
      switch (spacing) {
        case "leading" -> {
          grid.put("name", "discrete-leading");
          grid.put("train_steps", n);
          grid.put("steps_offset", c.path("steps_offset").asInt(0));
        }
        case "trailing" -> {
          grid.put("name", "discrete-trailing");
          grid.put("train_steps", n);
        }
        case "linspace" -> {
          grid.put("name", "discrete-linspace");
          grid.put("train_steps", n);
        }
        default -> throw new OptionException("'" + where + "': timestep_spacing '" + spacing
            + "' is not supported; supported: leading, trailing, linspace");
      }
    }
    Map<String, Object> solver = solver(c, cls, where, notes);
    if (c.path("thresholding").asBoolean(false)) {
      notes.add("thresholding (dynamic thresholding) is not applied");
    }
    if (c.path("clip_sample").asBoolean(false)) {
      notes.add("clip_sample is not applied");
    }
    Map<String, Object> sampling = new LinkedHashMap<>();
    sampling.put("solver", solver);
    sampling.put("grid", grid);
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schedule", schedule);
    manifest.put("parameterisation", parameterisation);
    manifest.put("sampling", sampling);
    return new Result(manifest, notes);
  }

  private static Map<String, Object> solver(JsonNode c, String cls, String where, List<String> notes) {
    KnownNames.Alias a = KnownNames.find(Kind.SOLVER, "diffusers:" + cls);
    if (a == null) {
      throw new OptionException("'" + where + "': scheduler class '" + cls + "' has no equivalent here; known: "
          + String.join(", ", KnownNames.all().stream().filter(x -> x.library().equals("diffusers"))
              .map(KnownNames.Alias::name).toList()));
    }
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("name", a.target());
    s.putAll(a.options());
    int order = c.path("solver_order").asInt(2);
    switch (cls) {
      case "PNDMScheduler" -> {
        if (c.path("skip_prk_steps").asBoolean(false)) {
          s.put("name", "plms");
        }
      }
      case "DPMSolverMultistepScheduler" -> {
        String alg = text(c, "algorithm_type", "dpmsolver++");
        // diffusers' midpoint is DPM-Solver's φ₁-only form, its heun the Taylor form; its order-3 step is
        // the official halved one (compat: dpm-solver); other solver_type values it maps to midpoint
        boolean heun = "heun".equals(text(c, "solver_type", "midpoint"));
        String form = heun ? "taylor" : "dpmsolver";
        s.clear();
        switch (alg) {
          case "dpmsolver++" -> {
            s.put("name", order >= 3 ? "dpmpp-3m" : order == 2 ? "dpmpp-2m" : "ddim");
            if (order >= 2) {
              s.put("solver_type", form);
            }
            if (order >= 3) {
              s.put("compat", "dpm-solver");
            }
          }
          case "dpmsolver" -> {
            s.put("name", "dpm-solver-multistep");
            s.put("order", Math.min(order, 3));
            s.put("solver_type", form);
            if (order >= 3) {
              s.put("compat", "dpm-solver");
            }
          }
          case "sde-dpmsolver++" -> {
            s.put("name", order >= 3 ? "dpmpp-3m-sde" : "dpmpp-2m-sde");
            if (order < 3 && heun) {
              s.put("solver_type", "heun");
            }
          }
          default -> throw new OptionException("'" + where + "': algorithm_type '" + alg
              + "' is not supported; supported: dpmsolver++, dpmsolver, sde-dpmsolver++");
        }
      }
      case "UniPCMultistepScheduler", "DEISMultistepScheduler" -> s.put("order", Math.min(order, 3));
      default -> { }
    }
    if (c.has("lower_order_final") && hasOption(s)) {
      s.put("lower_order_final", c.path("lower_order_final").asBoolean());
    }
    if (!a.note().isEmpty()) {
      notes.add(cls + ": " + a.note());
    }
    return s;
  }

  private static boolean hasOption(Map<String, Object> s) {
    return List.of("dpmpp-2m", "dpmpp-3m", "dpm-solver-multistep", "unipc", "lms", "plms", "pndm", "dpmpp-2m-sde")
        .contains((String) s.get("name"));
  }

  private static String text(JsonNode c, String key, String def) {
    JsonNode v = c.get(key);
    return v == null || v.isNull() ? def : v.asText();
  }
}
