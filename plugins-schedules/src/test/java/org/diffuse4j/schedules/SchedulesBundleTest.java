package org.diffuse4j.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.diffuse4j.api.FlowMapParameterisation;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TimeGrid;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.Options;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;

/** Registration, metadata, defaults and the error messages of bad options. */
class SchedulesBundleTest {
  private final PluginRegistry registry = PluginRegistry.discover(getClass().getClassLoader());

  @Test
  void everyPluginOfTheIssueIsRegistered() {
    assertThat(registry.entries(Kind.SCHEDULE).keySet()).containsExactlyInAnyOrder(
        "vp", "vp-cosine", "sub-vp", "ve", "edm", "rectified-flow", "trig", "trigflow", "discrete", "shifted");
    assertThat(registry.entries(Kind.GRID).keySet()).containsExactlyInAnyOrder(
        "uniform", "log-snr", "karras", "exponential", "quadratic", "discrete-leading", "discrete-trailing",
        "discrete-linspace", "explicit", "normal", "sgm-uniform", "simple", "ddim-uniform", "beta", "kl-optimal", "ays",
        "linear-quadratic");
    assertThat(registry.entries(Kind.PARAMETERISATION).keySet()).containsExactlyInAnyOrder(
        "eps", "x0", "score", "velocity", "v", "edm", "ctm", "meanflow", "consistency", "trigflow");
  }

  @Test
  void everyPluginHasMetadataSnakeCaseOptionsAndBuildsWithDefaults() {
    for (Kind kind : List.of(Kind.SCHEDULE, Kind.GRID, Kind.PARAMETERISATION)) {
      for (var e : registry.entries(kind).entrySet()) {
        var provider = e.getValue().provider();
        assertThat(provider.info().description()).isNotBlank();
        assertThat(provider.info().reference()).isNotBlank();
        for (Options.Spec spec : Options.describe(provider.optionsType())) {
          assertThat(spec.name()).matches("[a-z][a-z0-9_]*");
          assertThat(spec.doc()).isNotBlank();
        }
        if (e.getKey().equals("explicit")) {
          continue; // needs a list
        }
        Object plugin = registry.create(kind, e.getKey(), "test");
        Class<?> expected = kind == Kind.SCHEDULE ? Schedule.class : kind == Kind.GRID ? TimeGrid.class
            : plugin instanceof FlowMapParameterisation ? FlowMapParameterisation.class : Parameterisation.class;
        assertThat(plugin).as(e.getKey()).isInstanceOf(expected);
      }
    }
  }

  @Test
  void shiftedBuildsItsBaseThroughTheRegistry() {
    Schedule s = registry.create(Kind.SCHEDULE,
        Map.of("name", "shifted", "shift", 2.0, "base", Map.of("name", "vp", "beta_max", 10)), "schedule");
    VariancePreserving vp = new VariancePreserving(0.1, 10);
    assertThat(s.alpha(0.5)).isCloseTo(vp.alpha(2 * 0.5 / 1.5), within(1e-15));
    assertThatThrownBy(() -> registry.create(Kind.SCHEDULE, Map.of("name", "shifted", "base", "rectified_flow"), "schedule"))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("unknown schedule 'rectified_flow'")
        .hasMessageContaining("did you mean 'rectified-flow'");
  }

  @Test
  void discreteOptionsPickTheKindsPublishedDefaults() {
    Schedule sd = registry.create(Kind.SCHEDULE, Map.of("name", "discrete", "beta_schedule", "scaled-linear"), "s");
    assertThat(sd.alpha(1.0)).isCloseTo(0.068265, within(1e-6)); // Lin et al. 2024
    Schedule zero = registry.create(Kind.SCHEDULE,
        Map.of("name", "discrete", "beta_schedule", "scaled-linear", "rescale_zero_snr", true), "s");
    assertThat(((DiscreteSchedule) zero).alphaBar(1000)).isZero();
  }

  @Test
  void badOptionsFailWithClearMessages() {
    assertThatThrownBy(() -> registry.create(Kind.SCHEDULE, Map.of("name", "vp", "beta_min", 5, "beta_max", 1), "s"))
        .isInstanceOf(OptionException.class).hasMessageContaining("beta_max").hasMessageContaining("beta_min");
    assertThatThrownBy(() -> registry.create(Kind.SCHEDULE, Map.of("name", "ve", "sigma_min", 60), "s"))
        .isInstanceOf(OptionException.class).hasMessageContaining("sigma_max (50.0) must be greater than sigma_min");
    assertThatThrownBy(() -> registry.create(Kind.GRID, Map.of("name", "karras", "rho", 0), "g"))
        .isInstanceOf(OptionException.class).hasMessageContaining("rho must be > 0");
    assertThatThrownBy(() -> registry.create(Kind.GRID, Map.of("name", "karras", "rho", -2), "g"))
        .isInstanceOf(OptionException.class).hasMessageContaining("rho");
    assertThatThrownBy(() -> registry.create(Kind.SCHEDULE, Map.of("name", "discrete", "beta_schedule", "cosine"), "s"))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("allowed values: linear, scaled-linear, squaredcos-cap-v2");
    assertThatThrownBy(() -> registry.create(Kind.SCHEDULE,
            Map.of("name", "discrete", "beta_start", 0.03, "beta_end", 0.02), "s"))
        .isInstanceOf(OptionException.class).hasMessageContaining("beta_start < beta_end");
    assertThatThrownBy(() -> registry.create(Kind.GRID, Map.of("name", "uniform", "t_max", 0.9, "sigma_max", 10), "g"))
        .isInstanceOf(OptionException.class).hasMessageContaining("give t_max or sigma_max, not both");
    assertThatThrownBy(() -> registry.create(Kind.GRID, "explicit", "g"))
        .isInstanceOf(OptionException.class).hasMessageContaining("exactly one of 'times' or 'sigmas'");
    TimeGrid uniform = registry.create(Kind.GRID, "uniform", "g");
    assertThatThrownBy(() -> uniform.times(new RectifiedFlow(), 0)).hasMessageContaining("steps must be >= 1");
  }

  @Test
  void explicitGridFromTheManifestConvertsSigmas() {
    TimeGrid g = registry.create(Kind.GRID, Map.of("name", "explicit", "sigmas", List.of(80, 10, 1), "to_zero", true), "g");
    double[] t = g.times(new EdmSchedule(0.002, 80, 7), 3);
    assertThat(t).containsExactly(
        new double[] {1.0, Math.pow(10 / 80.0, 1 / 7.0), Math.pow(1 / 80.0, 1 / 7.0), 0.0}, within(1e-12));
  }
}
