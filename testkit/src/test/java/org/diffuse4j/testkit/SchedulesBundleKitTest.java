package org.diffuse4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.diffuse4j.api.FlowMapParameterisation;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TimeGrid;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.schedules.SchedulesBundle;
import org.diffuse4j.schedules.flowmap.FlowMapBundle;
import org.diffuse4j.testkit.GridConformance.Deviation;
import org.diffuse4j.testkit.GridConformance.Ends;
import org.diffuse4j.testkit.ScheduleConformance.End;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schedule, grid and parameterisation kits on every plugin plugins-schedules ships, each built
 * through its bundle with default options, as a manifest naming it gets it. (These live here, not
 * in plugins-schedules, because the testkit depends on plugins-schedules for its VP and
 * rectified-flow schedules, and Maven forbids the cycle a test dependency back would make.)
 */
class SchedulesBundleKitTest {

  static final PluginRegistry REGISTRY = new PluginRegistry();

  static {
    new SchedulesBundle().providers().forEach(p -> REGISTRY.add(p, "plugins-schedules"));
    new FlowMapBundle().providers().forEach(p -> REGISTRY.add(p, "plugins-schedules"));
  }

  /** The boundaries each shipped schedule reaches with its default options. */
  static final Map<String, List<End>> ENDS = Map.of(
      "vp", List.of(End.DATA_AT_ZERO),
      "vp-cosine", List.of(End.DATA_AT_ZERO),
      "sub-vp", List.of(End.DATA_AT_ZERO),
      "ve", List.of(), // σ(0) = σ_min > 0, α(1) = 1
      "edm", List.of(End.DATA_AT_ZERO),
      "rectified-flow", List.of(End.DATA_AT_ZERO, End.NOISE_AT_ONE),
      "trig", List.of(End.DATA_AT_ZERO, End.NOISE_AT_ONE),
      "trigflow", List.of(End.DATA_AT_ZERO, End.NOISE_AT_ONE),
      "discrete", List.of(End.DATA_AT_ZERO),
      "shifted", List.of(End.DATA_AT_ZERO, End.NOISE_AT_ONE));

  /** The endpoints each shipped grid declares with its default options. */
  static final Map<String, Ends> GRID_ENDS = Map.ofEntries(
      Map.entry("uniform", Ends.T_MAX_TO_T_MIN),
      Map.entry("log-snr", Ends.T_MAX_TO_T_MIN),
      Map.entry("exponential", Ends.T_MAX_TO_T_MIN),
      Map.entry("quadratic", Ends.T_MAX_TO_T_MIN),
      Map.entry("karras", Ends.T_MAX_TO_T_MIN),
      Map.entry("kl-optimal", Ends.T_MAX_TO_T_MIN),
      Map.entry("discrete-leading", Ends.TO_ZERO),
      Map.entry("discrete-trailing", Ends.TO_ZERO),
      Map.entry("discrete-linspace", Ends.TO_ZERO),
      Map.entry("normal", Ends.TO_ZERO),
      Map.entry("sgm-uniform", Ends.TO_ZERO),
      Map.entry("simple", Ends.TO_ZERO),
      Map.entry("ddim-uniform", Ends.TO_ZERO),
      Map.entry("beta", Ends.TO_ZERO),
      Map.entry("ays", Ends.TO_ZERO),
      Map.entry("linear-quadratic", Ends.TO_ZERO));

  /** Grids whose points are training timesteps k/N (ComfyUI, diffusers, Mochi), whatever the schedule's tMin. */
  static final Set<String> TRAINING_TIMESTEPS = Set.of("discrete-leading", "discrete-trailing", "discrete-linspace",
      "normal", "sgm-uniform", "simple", "ddim-uniform", "beta", "linear-quadratic");

  /** Grids whose point count is ComfyUI's, not steps + 1 (ComfyGridsTest pins both). */
  static final Set<String> COUNT_OF_REFERENCE = Set.of("ddim-uniform", "beta");

  static Stream<String> schedules() {
    return REGISTRY.entries(Kind.SCHEDULE).keySet().stream();
  }

  static Stream<String> grids() {
    return REGISTRY.entries(Kind.GRID).keySet().stream().filter(n -> !n.equals("explicit"));
  }

  static Stream<String> parameterisations() {
    return REGISTRY.entries(Kind.PARAMETERISATION).keySet().stream();
  }

  @Test
  void everyShippedPluginHasADeclaration() {
    assertThat(ENDS.keySet()).as("declare the ends of every shipped schedule").isEqualTo(REGISTRY.entries(Kind.SCHEDULE).keySet());
    assertThat(grids()).as("declare the ends of every shipped grid").containsExactlyInAnyOrderElementsOf(GRID_ENDS.keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schedules")
  void scheduleKit(String name) {
    Schedule s = REGISTRY.create(Kind.SCHEDULE, name, "schedule");
    ScheduleConformance.assertConforms(s, ENDS.get(name).toArray(End[]::new));
  }

  /** Settings other than the defaults that change a schedule's form: zero terminal SNR, the cosine table, a shift below 1. */
  @Test
  void scheduleKitOnOtherSettings() {
    ScheduleConformance.assertConforms(REGISTRY.create(Kind.SCHEDULE,
        Map.of("name", "discrete", "beta_schedule", "scaled-linear", "rescale_zero_snr", true), "schedule"),
        End.DATA_AT_ZERO, End.NOISE_AT_ONE);
    ScheduleConformance.assertConforms(REGISTRY.create(Kind.SCHEDULE,
        Map.of("name", "discrete", "beta_schedule", "squaredcos-cap-v2", "train_steps", 50), "schedule"), End.DATA_AT_ZERO);
    ScheduleConformance.assertConforms(REGISTRY.create(Kind.SCHEDULE,
        Map.of("name", "shifted", "base", "vp", "shift", 0.5), "schedule"), End.DATA_AT_ZERO);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("grids")
  void gridKit(String name) {
    TimeGrid g = REGISTRY.create(Kind.GRID, name, "grid");
    List<Deviation> d = new ArrayList<>();
    if (TRAINING_TIMESTEPS.contains(name)) {
      d.add(Deviation.TRAINING_TIMESTEPS);
    }
    if (COUNT_OF_REFERENCE.contains(name)) {
      d.add(Deviation.STEP_COUNT_OF_REFERENCE);
    }
    GridConformance.assertConforms(g, GRID_ENDS.get(name), d.toArray(Deviation[]::new));
  }

  /** The explicit grid has no default (its list is the option): times inside every kit schedule's range (EDM's tMin is 0.22), at its own step count. */
  @Test
  void gridKitOnExplicitTimes() {
    TimeGrid g = REGISTRY.create(Kind.GRID, Map.of("name", "explicit", "times", List.of(0.9, 0.6, 0.4, 0.25)), "grid");
    for (Schedule s : GridConformance.schedules()) {
      GridConformance.assertConforms(g, s, Ends.INSIDE, new int[] {3});
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("parameterisations")
  void parameterisationKit(String name) {
    Object p = REGISTRY.create(Kind.PARAMETERISATION, name, "parameterisation");
    if (p instanceof FlowMapParameterisation f) {
      FlowMapConformance.assertConforms(f);
    } else {
      ParameterisationConformance.assertConforms((Parameterisation) p);
    }
  }
}
