package org.diffuse4j.objectives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.diffuse4j.api.FlowMapParameterisation;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.testkit.ObjectiveConformance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The objective kit on every objective this module ships, each built through the plugin registry
 * with default options. Regression objectives on the schedule's own path get every law, with the
 * parameterisation and schedule they are meant for; the others ({@link #WELL_FORMED_ONLY}) get the
 * laws that hold for any objective, and say why.
 */
class ObjectiveKitTest {
  static final PluginRegistry REGISTRY = PluginRegistry.discover(ObjectiveKitTest.class.getClassLoader());

  /** Objective → (parameterisation, schedule) whose target it regresses on that schedule's path. */
  static final Map<String, String[]> REGRESSION = Map.of(
      "denoising", new String[] {"eps", "vp"},
      "ddpm-elbo", new String[] {"eps", "vp"},
      "flow-matching", new String[] {"velocity", "rectified-flow"},
      "ot-flow-matching", new String[] {"velocity", "rectified-flow"},
      "reflow", new String[] {"velocity", "rectified-flow"},
      "stochastic-interpolant", new String[] {"velocity", "trig"}); // its path is cos/sin(πt/2): the trig schedule's

  /** Objectives whose minimiser is not the exact denoiser's target, with the reason. */
  static final Map<String, String> WELL_FORMED_ONLY = Map.ofEntries(
      Map.entry("sb-flow-matching", "x_t carries bridge noise σ√(t(1−t)) z beyond the schedule's path"),
      Map.entry("consistency-training", "regresses the EMA target's output at the adjacent level (a flow map), not a denoiser"),
      Map.entry("ect", "regresses the EMA target's output at an earlier time (a flow map), not a denoiser"),
      Map.entry("consistency-distillation", "regresses the EMA target after a teacher's ODE step (a flow map), not a denoiser"),
      Map.entry("perflow", "regresses the straight segment to the teacher's ODE end point of a time window, not a denoiser"),
      Map.entry("progressive-distillation", "regresses the x0 of one DDIM step that lands on the teacher's two steps, not a denoiser"),
      Map.entry("guidance-distillation", "regresses the teacher's classifier-free-guided x0 at a drawn scale w, not a denoiser"),
      Map.entry("noisy-classifier", "a cross-entropy of class logits, not a regression"),
      Map.entry("meanflow", "trains a flow map (a two-time network) towards a JVP target, not a denoiser"),
      Map.entry("sct", "regresses its own output plus the normalised tangent cos τ·df⁻/dτ (a consistency function), not a denoiser"),
      Map.entry("scd", "regresses its own output plus the normalised tangent along the teacher's velocity, not a denoiser"),
      Map.entry("ctm", "trains a flow map towards the EMA target's jump after a teacher's ODE solve, not a denoiser"));

  static Stream<String> shipped() {
    return new ObjectivesBundle().providers().stream().map(p -> p.info().name());
  }

  @Test
  void everyShippedObjectiveIsCovered() {
    assertThat(shipped()).allMatch(n -> REGRESSION.containsKey(n) || WELL_FORMED_ONLY.containsKey(n));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shipped")
  void objectiveKit(String name) {
    Objective o = REGISTRY.create(Kind.OBJECTIVE, name, "objective");
    if (REGRESSION.containsKey(name)) {
      String[] with = REGRESSION.get(name);
      ObjectiveConformance.assertConforms(o, REGISTRY.create(Kind.PARAMETERISATION, with[0], "parameterisation"),
          REGISTRY.create(Kind.SCHEDULE, with[1], "schedule"));
    } else if (o.trainsFlowMap()) {
      for (String fm : new String[] {"meanflow", "ctm"}) {
        FlowMapParameterisation param = REGISTRY.create(Kind.PARAMETERISATION, fm, "parameterisation");
        Solver heun = o.needs().contains(Objective.Need.TEACHER) ? REGISTRY.create(Kind.SOLVER, "heun", "solver") : null;
        ObjectiveConformance.assertWellFormed(o, param, REGISTRY.create(Kind.SCHEDULE, "rectified-flow", "schedule"), heun);
      }
    } else {
      Solver heun = REGISTRY.create(Kind.SOLVER, "heun", "solver");
      Parameterisation edm = REGISTRY.create(Kind.PARAMETERISATION, "edm", "parameterisation");
      ObjectiveConformance.assertWellFormed(o, edm, REGISTRY.create(Kind.SCHEDULE, "edm", "schedule"), heun);
    }
  }

  /** The denoising loss is the parameterisation's regression, so every law holds for every shipped parameterisation. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("parameterisations")
  void denoisingWithEveryParameterisation(String param) {
    Objective o = REGISTRY.create(Kind.OBJECTIVE, "denoising", "objective");
    for (String schedule : new String[] {"vp", "rectified-flow"}) {
      ObjectiveConformance.assertConforms(o, REGISTRY.create(Kind.PARAMETERISATION, param, "parameterisation"),
          REGISTRY.create(Kind.SCHEDULE, schedule, "schedule"));
    }
  }

  static Stream<String> parameterisations() {
    return Stream.of("eps", "x0", "score", "velocity", "v", "edm");
  }

  /** The kit has teeth: an objective read on a schedule other than its own path's, or with a shifted target, fails. */
  @Test
  void theKitCatchesAnObjectiveOffItsPath() {
    Objective interpolant = REGISTRY.create(Kind.OBJECTIVE, "stochastic-interpolant", "objective");
    Parameterisation velocity = REGISTRY.create(Kind.PARAMETERISATION, "velocity", "parameterisation");
    Schedule rf = REGISTRY.create(Kind.SCHEDULE, "rectified-flow", "schedule");
    assertThatThrownBy(() -> ObjectiveConformance.assertZeroAtExactDenoiser(interpolant, velocity, rf))
        .isInstanceOf(AssertionError.class).hasMessageContaining("must give loss 0");
    Parameterisation eps = REGISTRY.create(Kind.PARAMETERISATION, "eps", "parameterisation");
    Objective shifted = new Objective() { // the denoising loss whose target is off by 0.3
      final Objective inner = REGISTRY.create(Kind.OBJECTIVE, "denoising", "objective");

      @Override
      public double sampleTime(Schedule s, double u) {
        return inner.sampleTime(s, u);
      }

      @Override
      public org.diffuse4j.api.tensor.Tensor loss(org.diffuse4j.api.TrainingBatch b, org.diffuse4j.api.Network n,
          Parameterisation p) {
        return inner.loss(b, (x, t, c) -> n.apply(x, t, c).minus(0.3), p);
      }
    };
    assertThatThrownBy(() -> ObjectiveConformance.assertMinimalAtExactDenoiser(shifted, eps, rf))
        .isInstanceOf(AssertionError.class).hasMessageContaining("must minimise the expected loss");
  }
}
