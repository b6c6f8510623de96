package org.diffuse4j.runtime.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TimeGrid;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two public model families' scheduler_config.json, written out from their documented values
 * (Stable Diffusion v1.5: PNDMScheduler; Stable Diffusion XL base 1.0: EulerDiscreteScheduler), plus
 * a DPM-Solver++ configuration with Karras sigmas and v-prediction (Stable Diffusion 2.1's family).
 */
class DiffusersSchedulerConfigTest {
  static final String SD15 = """
      {"_class_name": "PNDMScheduler", "_diffusers_version": "0.6.0", "beta_end": 0.012,
       "beta_schedule": "scaled_linear", "beta_start": 0.00085, "num_train_timesteps": 1000,
       "set_alpha_to_one": false, "skip_prk_steps": true, "steps_offset": 1, "trained_betas": null,
       "clip_sample": false}""";
  static final String SDXL = """
      {"_class_name": "EulerDiscreteScheduler", "_diffusers_version": "0.19.0.dev0", "beta_end": 0.012,
       "beta_schedule": "scaled_linear", "beta_start": 0.00085, "clip_sample": false,
       "interpolation_type": "linear", "num_train_timesteps": 1000, "prediction_type": "epsilon",
       "sample_max_value": 1.0, "set_alpha_to_one": false, "skip_prk_steps": true, "steps_offset": 1,
       "timestep_spacing": "leading", "trained_betas": null, "use_karras_sigmas": false}""";
  static final String DPMPP_KARRAS_V = """
      {"_class_name": "DPMSolverMultistepScheduler", "beta_schedule": "scaled_linear", "beta_start": 0.00085,
       "beta_end": 0.012, "num_train_timesteps": 1000, "prediction_type": "v_prediction",
       "algorithm_type": "dpmsolver++", "solver_order": 2, "use_karras_sigmas": true, "lower_order_final": true}""";

  @TempDir Path dir;

  DiffusersSchedulerConfig.Result read(String json) throws Exception {
    Path f = dir.resolve("scheduler_config.json");
    Files.writeString(f, json);
    return DiffusersSchedulerConfig.read(f);
  }

  @Test
  @SuppressWarnings("unchecked")
  void stableDiffusion15() throws Exception {
    var r = read(SD15);
    Map<String, Object> m = r.manifest();
    assertThat(m.get("parameterisation")).isEqualTo("eps");
    Map<String, Object> sampling = (Map<String, Object>) m.get("sampling");
    assertThat(sampling.get("solver")).isEqualTo(Map.of("name", "plms"));
    assertThat(sampling.get("grid")).isEqualTo(Map.of("name", "discrete-leading", "train_steps", 1000, "steps_offset", 1));
    PluginRegistry reg = PluginRegistry.discover(getClass().getClassLoader());
    Schedule s = reg.create(Kind.SCHEDULE, m.get("schedule"), "schedule");
    // SD's σ_max = √((1 − ᾱ_999)/ᾱ_999) = 14.6146412293 (the first level of the published AYS tables)
    assertThat(s.sigmaOverAlpha(1.0)).isCloseTo(14.6146412293, within(1e-8));
    assertThat(s.sigmaOverAlpha(0.001)).isCloseTo(0.0291671582, within(1e-9));
    TimeGrid g = reg.create(Kind.GRID, sampling.get("grid"), "grid");
    // diffusers' 'leading' with steps_offset 1, 50 steps: 981, 961, …, 1 → t = (i + 1)/1000
    double[] t = g.times(s, 50);
    assertThat(t[0]).isCloseTo(0.982, within(1e-12));
    assertThat(t[49]).isCloseTo(0.002, within(1e-12));
    assertThat((Object) reg.create(Kind.SOLVER, sampling.get("solver"), "solver")).isNotNull();
  }

  @Test
  @SuppressWarnings("unchecked")
  void stableDiffusionXl() throws Exception {
    var r = read(SDXL);
    Map<String, Object> sampling = (Map<String, Object>) r.manifest().get("sampling");
    assertThat(((Map<String, Object>) sampling.get("solver")).get("name")).isEqualTo("ddim");
    assertThat(r.notes()).anyMatch(n -> n.contains("σ/α"));
    assertThat(((Map<String, Object>) sampling.get("grid")).get("name")).isEqualTo("discrete-leading");
  }

  @Test
  @SuppressWarnings("unchecked")
  void dpmSolverWithKarrasSigmasAndVPrediction() throws Exception {
    var r = read(DPMPP_KARRAS_V);
    assertThat(r.manifest().get("parameterisation")).isEqualTo("v");
    Map<String, Object> sampling = (Map<String, Object>) r.manifest().get("sampling");
    assertThat(sampling.get("solver")).isEqualTo(Map.of("name", "dpmpp-2m", "solver_type", "dpmsolver", "lower_order_final", true));
    assertThat(sampling.get("grid")).isEqualTo(Map.of("name", "karras", "to_zero", true));
  }

  @Test
  @SuppressWarnings("unchecked")
  void sdeDpmSolverWithHeunKeepsTheHeunForm() throws Exception {
    var r = read(DPMPP_KARRAS_V.replace("\"dpmsolver++\"", "\"sde-dpmsolver++\", \"solver_type\": \"heun\""));
    Map<String, Object> sampling = (Map<String, Object>) r.manifest().get("sampling");
    assertThat(sampling.get("solver")).isEqualTo(Map.of("name", "dpmpp-2m-sde", "solver_type", "heun", "lower_order_final", true));
    PluginRegistry reg = PluginRegistry.discover(getClass().getClassLoader());
    assertThat((Object) reg.create(Kind.SOLVER, sampling.get("solver"), "solver")).isNotNull();
  }

  /**
   * diffusers' solver_type midpoint (the default) is DPM-Solver's form, heun the Taylor form; its
   * order-3 multistep step is the official halved one (scheduling_dpmsolver_multistep.py,
   * multistep_dpm_solver_third_order_update: φ̃₃ = (e^{−h} − 1 + h)/h² − ½ against D2), i.e. compat dpm-solver.
   */
  @Test
  @SuppressWarnings("unchecked")
  void dpmSolverMultistepFormsAndOrders() throws Exception {
    PluginRegistry reg = PluginRegistry.discover(getClass().getClassLoader());
    String[][] cases = {
        {"\"dpmsolver++\", \"solver_type\": \"heun\"", "2", "{name=dpmpp-2m, solver_type=taylor, lower_order_final=true}"},
        {"\"dpmsolver++\"", "3", "{name=dpmpp-3m, solver_type=dpmsolver, compat=dpm-solver, lower_order_final=true}"},
        {"\"dpmsolver++\", \"solver_type\": \"heun\"", "3", "{name=dpmpp-3m, solver_type=taylor, compat=dpm-solver, lower_order_final=true}"},
        {"\"dpmsolver\"", "2", "{name=dpm-solver-multistep, order=2, solver_type=dpmsolver, lower_order_final=true}"},
        {"\"dpmsolver\", \"solver_type\": \"heun\"", "3",
            "{name=dpm-solver-multistep, order=3, solver_type=taylor, compat=dpm-solver, lower_order_final=true}"},
        {"\"dpmsolver++\", \"solver_type\": \"logrho\"", "2", "{name=dpmpp-2m, solver_type=dpmsolver, lower_order_final=true}"}};
    for (String[] c : cases) {
      var r = read(DPMPP_KARRAS_V.replace("\"dpmsolver++\"", c[0]).replace("\"solver_order\": 2", "\"solver_order\": " + c[1]));
      Object solver = ((Map<String, Object>) r.manifest().get("sampling")).get("solver");
      assertThat(solver).as("%s order %s", c[0], c[1]).hasToString(c[2]);
      assertThat((Object) reg.create(Kind.SOLVER, solver, "solver")).isNotNull();
    }
  }

  @Test
  void unsupportedSettingsNameTheKey() throws Exception {
    assertThatThrownBy(() -> read(SD15.replace("\"trained_betas\": null", "\"trained_betas\": [0.1]")))
        .isInstanceOf(OptionException.class).hasMessageContaining("trained_betas");
    assertThatThrownBy(() -> read(SD15.replace("scaled_linear", "sigmoid")))
        .isInstanceOf(OptionException.class).hasMessageContaining("beta_schedule 'sigmoid'");
    assertThatThrownBy(() -> read(SD15.replace("PNDMScheduler", "RePaintScheduler")))
        .isInstanceOf(OptionException.class).hasMessageContaining("RePaintScheduler");
    assertThatThrownBy(() -> DiffusersSchedulerConfig.read(dir.resolve("missing.json")))
        .isInstanceOf(OptionException.class).hasMessageContaining("missing.json");
  }
}
