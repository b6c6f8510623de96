package org.diffuse4j.objectives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.schedules.VariancePreserving;
import org.junit.jupiter.api.Test;

/** Discovery, defaults and nested option validation of the objectives bundle. */
class ObjectivesBundleTest {
  private final PluginRegistry registry = PluginRegistry.discover(getClass().getClassLoader());

  @Test
  void everyObjectiveIsDiscoveredAndBuildsWithDefaults() {
    List<String> names = List.of("denoising", "ddpm-elbo", "flow-matching", "ot-flow-matching",
        "sb-flow-matching", "stochastic-interpolant", "reflow", "noisy-classifier");
    assertThat(registry.entries(Kind.OBJECTIVE).keySet()).containsAll(names);
    for (String n : names) {
      Objective o = registry.create(Kind.OBJECTIVE, n, "objective");
      double t = o.sampleTime(new VariancePreserving(0.1, 20), 0.3);
      assertThat(t).as(n).isBetween(0.0, 1.0);
    }
  }

  @Test
  void nestedTimeAndWeightingSpecsAreValidated() {
    Objective o = registry.create(Kind.OBJECTIVE, Map.of("name", "denoising",
        "time", Map.of("name", "logit-normal", "m", 0.5, "s", 2),
        "weighting", Map.of("name", "min-snr", "gamma", 5)), "objective");
    VariancePreserving vp = new VariancePreserving(0.1, 20);
    assertThat(o.sampleTime(vp, 0.5)).isCloseTo(1 / (1 + Math.exp(-0.5)), within(1e-12));
    double snr = Math.pow(vp.alpha(0.5) / vp.sigma(0.5), 2);
    assertThat(o.weight(vp, 0.5)).isCloseTo(Math.min(snr, 5) / snr, within(1e-12));

    assertThatThrownBy(() -> registry.create(Kind.OBJECTIVE, Map.of("name", "denoising", "weighting", "min-snrr"), "objective"))
        .isInstanceOf(OptionException.class).hasMessageContaining("did you mean 'min-snr'");
    assertThatThrownBy(() -> registry.create(Kind.OBJECTIVE,
        Map.of("name", "denoising", "weighting", Map.of("name", "min-snr", "gama", 1)), "objective"))
        .isInstanceOf(OptionException.class).hasMessageContaining("weighting.gama");
    assertThatThrownBy(() -> registry.create(Kind.OBJECTIVE,
        Map.of("name", "denoising", "time", Map.of("name", "mode", "scale", 3)), "objective"))
        .isInstanceOf(OptionException.class).hasMessageContaining("time.scale");
  }

  @Test
  void logNormalTimeUsesANamedScheduleOrTheRunsOne() {
    Objective withVp = registry.create(Kind.OBJECTIVE, Map.of("name", "denoising",
        "time", Map.of("name", "log-normal", "schedule", "vp")), "objective");
    VariancePreserving vp = new VariancePreserving(0.1, 20);
    double t = withVp.sampleTime(new org.diffuse4j.schedules.RectifiedFlow(), 0.5); // its own schedule wins
    assertThat(vp.sigma(t) / vp.alpha(t)).isCloseTo(Math.exp(-1.2), within(1e-9));

    RegressionObjective run = registry.create(Kind.OBJECTIVE, Map.of("name", "denoising", "time", "log-normal"), "objective");
    assertThatThrownBy(() -> run.sampleTime(null, 0.5)).hasMessageContaining("schedule");
    assertThat(run.sampleTime(vp, 0.5)).isCloseTo(t, within(1e-12));
  }

  @Test
  void otAndSbObjectivesCarryTheirCouplings() {
    Objective exact = registry.create(Kind.OBJECTIVE, "ot-flow-matching", "objective");
    assertThat(exact.coupling()).isInstanceOf(ExactOtCoupling.class);
    Objective sk = registry.create(Kind.OBJECTIVE, Map.of("name", "ot-flow-matching", "method", "sinkhorn", "reg", 0.1), "objective");
    assertThat(sk.coupling()).isEqualTo(new SinkhornCoupling(0.1, 1000, true, true, 0));
    Objective sb = registry.create(Kind.OBJECTIVE, Map.of("name", "sb-flow-matching", "sigma", 0.5), "objective");
    assertThat(sb.coupling()).isEqualTo(new SinkhornCoupling(0.5, 1000, true, false, 0));
  }
}
