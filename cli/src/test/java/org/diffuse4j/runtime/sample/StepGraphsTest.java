package org.diffuse4j.runtime.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.runtime.TestRuns;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.plugins.PluginDiscovery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sampling engine's step graphs ({@link StepGraphs}): the same bits as the whole loop unrolled
 * into one graph (the computation is op for op the same), for every registered solver, with
 * classifier-free guidance and labels, whether its steps are traced in Java or in TensorFlow; and a
 * graph whose size does not depend on the step count.
 * The model is an untrained class-conditional MLP (its initial weights), which is all the
 * comparison needs.
 */
class StepGraphsTest {
  private static final PluginRegistry REGISTRY = PluginDiscovery.discover(null);
  private static final int B = 5;
  private static final int N = 7;

  /** A small class-conditional run with cfg: the network, labels and guidance all reach the step graphs. */
  static final String YAML = """
      data: 8-gaussians
      network: {name: mlp, width: 16, depth: 2, time_embedding: 8, num_classes: 8}
      schedule: rectified-flow
      parameterisation: velocity
      objective: {name: flow-matching, p_uncond: 0.2}
      training: {steps: 1, batch_size: 16}
      guidance: {name: cfg, scale: 3}
      sampling: {solver: heun, grid: uniform, steps: 6, n: 7, batch_size: 5, label: all}
      seed: 5
      """;

  @TempDir static Path tmp;
  static Path file;

  @BeforeAll
  static void write() throws Exception {
    file = TestRuns.manifest(tmp, YAML);
  }


  static Manifest manifest(String... overrides) {
    Map<String, Object> tree = ManifestLoader.read(file);
    for (String o : overrides) {
      ManifestLoader.override(tree, o);
    }
    return ManifestLoader.resolve(tree, REGISTRY);
  }

  @Test
  void everySolverGivesTheUnrolledLoopsBitsStepByStep() {
    List<String> stepwise = new ArrayList<>();
    List<String> inJava = new ArrayList<>();
    for (String solver : REGISTRY.entries(Kind.SOLVER).keySet()) {
      Manifest m;
      try {
        m = manifest("sampling.solver=" + solver);
      } catch (RuntimeException e) {
        continue; // a solver that needs options of its own (none is left out silently: see the count below)
      }
      double[] reference;
      try (SamplingEngine unrolled = new SamplingEngine(m, 2, B, null, 0)) {
        assertThat(unrolled.stepGraphs()).isZero();
        reference = unrolled.sample(11, N, null, null);
      } catch (RuntimeException e) {
        continue; // eager-only solvers (rk45) refuse graph mode in both engines
      }
      // two steps per graph: 6 steps (plus the initial state) make runs of 2, 2, 2 and 1 steps
      try (SamplingEngine e = new SamplingEngine(m, 2, B, null, 2)) {
        double[] x = e.sample(11, N, null, null);
        assertThat(x).as(solver).containsExactly(reference);
        if (e.stepGraphs() > 0) {
          stepwise.add(solver);
        }
        if (e.tracedInJava()) {
          inJava.add(solver);
        }
      }
    }
    System.out.println("step by step: " + stepwise.size() + " solvers " + stepwise);
    System.out.println("traced in Java: " + inJava.size() + " solvers " + inJava);
    assertThat(stepwise).contains("euler", "heun", "dpmpp-2m", "dpmpp-3m", "unipc", "rk4", "euler-maruyama",
        "dpmpp-2m-sde", "dpmpp-sde", "ddpm", "pndm", "pc");
    // and those were traced in Java (ShapeGraph), not op by op in TensorFlow graphs
    assertThat(inJava).contains("euler", "heun", "dpmpp-2m", "dpmpp-3m", "unipc", "rk4", "euler-maruyama",
        "dpmpp-2m-sde", "dpmpp-sde", "ddpm", "pndm", "pc");
  }

  @Test
  void apgMomentumCarriesStateAcrossStepsSoTheLoopIsUnrolled() {
    Manifest m = manifest("guidance={name: apg, scale: 3, momentum: -0.5}");
    // the first run (initial state and first step) shows it, so the constructor unrolls the loop
    try (SamplingEngine e = new SamplingEngine(m, 2, B, null, 2)) {
      assertThat(e.stepGraphs()).isZero();
      assertThat(java.util.Arrays.stream(e.sample(1, N, null, null)).allMatch(Double::isFinite)).isTrue();
    }
    // a first run of the initial state alone does not: the first chunk finds it and unrolls the loop
    double[] reference;
    try (SamplingEngine unrolled = new SamplingEngine(m, 2, B, null, 0)) {
      reference = unrolled.sample(1, N, null, null);
    }
    try (SamplingEngine e = new SamplingEngine(m, 2, B, null, 1)) {
      assertThat(e.sample(1, N, null, null)).containsExactly(reference);
      assertThat(e.stepGraphs()).isZero();
    }
  }

  @Test
  void theGraphDoesNotGrowWithTheStepCount() {
    int[] ops = new int[2];
    double[][] x = new double[2][];
    int i = 0;
    for (int steps : new int[] {50, 500}) {
      Manifest m = manifest("sampling.steps=" + steps, "guidance=none", "sampling.label=-1");
      // runs of 10 steps; the initial state and 50 or 500 steps make 5 or 50 runs of 10 and one of 1:
      // the first run (initial state, 9 steps), the steady runs and the last step
      // (the later runs' graphs are built when the first chunk reaches them)
      try (SamplingEngine e = new SamplingEngine(m, 2, B, null, 10)) {
        x[i++] = e.sample(3, N, null, null);
        assertThat(e.stepGraphs()).as("%d steps", steps).isEqualTo(3);
        assertThat(e.tracedInJava()).isTrue();
        ops[i - 1] = e.graphOps();
      }
    }
    assertThat(ops[1]).as("graph ops at 500 steps against 50").isEqualTo(ops[0]);
    // and each step got its own times: 500 steps agree with 50 up to the discretisation error (heun's
    // last step to t = 0 is an Euler step, first order: O(h) = O(0.02) at 50 steps; 0.012 was seen),
    // while steps run with another step's scalars would land O(1) away
    for (int j = 0; j < x[0].length; j++) {
      assertThat(x[1][j]).isCloseTo(x[0][j], org.assertj.core.data.Offset.offset(5e-2));
    }
  }

  @Test
  void aGuidanceIntervalAndScheduleStayOneStepGraph() {
    // cfg only for t <= 0.5 with a cosine scale: the interval and w(t) are built from t's scalars, so
    // every steady step shares one graph fed its own t, and the bits match the unrolled loop
    Manifest m = manifest("guidance={name: cfg, scale: 3, t_hi: 0.5, schedule: cosine}", "sampling.steps=8");
    double[] reference;
    try (SamplingEngine unrolled = new SamplingEngine(m, 2, B, null, 0)) {
      reference = unrolled.sample(2, N, null, null);
    }
    try (SamplingEngine e = new SamplingEngine(m, 2, B, null, 1)) {
      assertThat(e.sample(2, N, null, null)).containsExactly(reference);
      assertThat(e.stepGraphs()).isBetween(2, 3); // initial state, steady step, last step
    }
  }
}
