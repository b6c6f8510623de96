package org.diffuse4j.guidance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleFunction;
import java.util.stream.Collectors;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.Guidance;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.testkit.GuidanceConformance;
import org.diffuse4j.testkit.GuidanceConformance.Model;
import org.diffuse4j.testkit.SolverConformance;
import org.junit.jupiter.api.Test;

/**
 * The guidance kit on every guidance this module ships: built through the plugin registry at a given
 * scale, except autoguidance and classifier guidance, whose weak model and classifier are networks
 * the runtime builds; they are made here from the exact mixture (the unconditional mixture as the
 * weak model, the exact Bayes classifier), as their providers would with those networks.
 */
class GuidanceKitTest {
  static final PluginRegistry REGISTRY = PluginRegistry.discover(GuidanceKitTest.class.getClassLoader());

  static DoubleFunction<Guidance> named(String name) {
    return w -> REGISTRY.create(Kind.GUIDANCE, Map.of("name", name, "scale", w), "guidance");
  }

  @Test
  void everyShippedGuidanceIsCovered() {
    Set<String> shipped = new GuidanceBundle().providers().stream().map(p -> p.info().name()).collect(Collectors.toSet());
    assertThat(shipped).containsExactlyInAnyOrder("none", "cfg", "cfg-plus-plus", "rectified-cfg", "apg", "autoguidance",
        "classifier", "dynamic-thresholding", "stack", "distilled");
  }

  @Test
  void none() {
    Guidance g = REGISTRY.create(Kind.GUIDANCE, "none", "guidance");
    GuidanceConformance.assertConforms(w -> g, Model.CONDITIONAL, Model.CONDITIONAL);
  }

  /** ε_u + w(ε_c − ε_u): the unconditional model at 0, the conditional one at 1 (option doc of scale). */
  @Test
  void cfg() {
    GuidanceConformance.assertConforms(named("cfg"), Model.UNCONDITIONAL, Model.CONDITIONAL);
  }

  /**
   * One evaluation at the requested labels with the scale in the condition: on the analytic mixture,
   * which does not read the scale, the conditional model at every scale.
   */
  @Test
  void distilled() {
    GuidanceConformance.assertConforms(named("distilled"), Model.CONDITIONAL, Model.CONDITIONAL);
  }

  /** x̂0 = x̂0_u + λ(x̂0_c − x̂0_u) renoised with ε̂_u: the unconditional model at 0; at 1 its ε̂ is still ε̂_u. */
  @Test
  void cfgPlusPlus() {
    GuidanceConformance.assertConforms(named("cfg-plus-plus"), Model.UNCONDITIONAL, null);
  }

  /** "0 = conditional model" (option doc of scale). */
  @Test
  void rectifiedCfg() {
    GuidanceConformance.assertConforms(named("rectified-cfg"), Model.CONDITIONAL, null);
  }

  /** "1 = conditional model"; at 0 the projection keeps part of the update (η = 0 drops the parallel part only). */
  @Test
  void apg() {
    GuidanceConformance.assertConforms(named("apg"), null, Model.CONDITIONAL);
  }

  /** D_weak + w(D_main − D_weak): with the unconditional mixture as the weak model, the cfg limits. */
  @Test
  void autoguidance() {
    int[] weakCalls = {0};
    var weak = (org.diffuse4j.api.ConditionalDenoiser) (x, p, c) -> {
      weakCalls[0]++;
      return GuidanceConformance.mixture().denoiser(SolverConformance.vp()).predict(x, p, Condition.none());
    };
    GuidanceConformance.assertConforms(w -> new AutoGuidance(weak, ScaleSchedule.constant(w)), Model.UNCONDITIONAL,
        Model.CONDITIONAL, () -> weakCalls[0]);
  }

  /** score_u + w ∇log p(y | x_t): the unconditional base at 0, Bayes' rule (the conditional model) at 1. */
  @Test
  void classifier() {
    int[] classifierCalls = {0};
    Classifier counted = (x, p) -> {
      classifierCalls[0]++;
      return ClassifierGuidanceTest.BAYES.logits(x, p);
    };
    GuidanceConformance.assertConforms(w -> new ClassifierGuidance(counted, ScaleSchedule.constant(w), false),
        Model.UNCONDITIONAL, Model.CONDITIONAL, () -> classifierCalls[0]);
  }

  /** A filter on the conditional model: one evaluation. */
  @Test
  void dynamicThresholding() {
    GuidanceConformance.assertEvaluationsPerCall(REGISTRY.create(Kind.GUIDANCE, "dynamic-thresholding", "guidance"));
  }

  /** A stack of cfg alone keeps cfg's limits; with a filter, cfg's evaluations. */
  @Test
  void stack() {
    GuidanceConformance.assertConforms(
        w -> REGISTRY.create(Kind.GUIDANCE, Map.of("name", "stack", "of", List.of(Map.of("name", "cfg", "scale", w))),
            "guidance"),
        Model.UNCONDITIONAL, Model.CONDITIONAL);
    GuidanceConformance.assertEvaluationsPerCall(REGISTRY.create(Kind.GUIDANCE,
        Map.of("name", "stack", "of", List.of("cfg", "dynamic-thresholding")), "guidance"));
  }

  /** The kit has teeth: cfg that declares one evaluation, or that swaps its limits, fails naming the method. */
  @Test
  void theKitCatchesWrongDeclarations() {
    Guidance oneCall = (m, c) -> {
      Denoiser d = REGISTRY.<Guidance>create(Kind.GUIDANCE, "cfg", "guidance").guide(m, c);
      return (x, p) -> d.predict(x, p);
    };
    assertThatThrownBy(() -> GuidanceConformance.assertEvaluationsPerCall(oneCall))
        .isInstanceOf(AssertionError.class).hasMessageContaining("override Denoiser.evaluationsPerCall()");
    assertThatThrownBy(() -> GuidanceConformance.assertConforms(named("cfg"), Model.CONDITIONAL, null))
        .isInstanceOf(AssertionError.class).hasMessageContaining("fix guide(ConditionalDenoiser, Condition)");
  }
}
