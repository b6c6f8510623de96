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
 * classifier-free guidance and labels; and a graph whose size does not depend on the step count.
 * The model is an untrained class-conditional MLP (its initial weights), which is all the
 * comparison needs.
 */
class StepGraphsTest {
  private static final PluginRegistry REGISTRY = PluginDiscovery.discover(null);
  private static final int B = 5;
  private static final int N = 7;

  private static final String YAML = """
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
    for (String solver : REGISTRY.entries(Kind.SOLVER).keySet()) {
      Manifest m;
      try {
        m = manifest("sampling.solver=" + solver);
      } catch (RuntimeException e) {
        continue; // a solver that needs options of its own (none is left out silently: see the count below)
      }
      double[] reference;
      try (SamplingEngine unrolled = new SamplingEngine(m, 2, B, null, true)) {
        assertThat(unrolled.stepGraphs()).isZero();
        reference = unrolled.sample(11, N, null, null);
      } catch (RuntimeException e) {
        continue; // eager-only solvers (rk45) refuse graph mode in both engines
      }
      try (SamplingEngine e = new SamplingEngine(m, 2, B, null)) {
        double[] x = e.sample(11, N, null, null);
        assertThat(x).as(solver).containsExactly(reference);
        if (e.stepGraphs() > 0) {
          stepwise.add(solver);
        }
      }
    }
    System.out.println("step by step: " + stepwise.size() + " solvers " + stepwise);
    assertThat(stepwise).contains("euler", "heun", "dpmpp-2m", "dpmpp-3m", "unipc", "rk4", "euler-maruyama",
        "dpmpp-2m-sde", "dpmpp-sde", "ddpm", "pndm", "pc");
  }

  @Test
  void apgMomentumCarriesStateAcrossStepsSoTheLoopIsUnrolled() {
    Manifest m = manifest("guidance={name: apg, scale: 3, momentum: -0.5}");
    try (SamplingEngine e = new SamplingEngine(m, 2, B, null)) {
      assertThat(e.stepGraphs()).isZero();
      assertThat(java.util.Arrays.stream(e.sample(1, N, null, null)).allMatch(Double::isFinite)).isTrue();
    }
  }

  @Test
  void theGraphDoesNotGrowWithTheStepCount() {
    int[] ops = new int[3];
    int i = 0;
    for (int steps : new int[] {50, 2000, 10_000}) {
      long t0 = System.nanoTime();
      try (SamplingEngine e = new SamplingEngine(manifest("sampling.steps=" + steps), 2, B, null)) {
        ops[i++] = e.graphOps();
        // heun: the initial state, the steady step and the last step (Euler to the grid's end)
        assertThat(e.stepGraphs()).as("%d steps", steps).isBetween(2, 3);
        assertThat(java.util.Arrays.stream(e.sample(3, N, null, null)).allMatch(Double::isFinite)).isTrue();
      }
      System.out.printf("heun %d steps: %d graph ops, %.2f s to build and sample%n", steps, ops[i - 1],
          (System.nanoTime() - t0) / 1e9);
    }
    assertThat(ops[1]).isEqualTo(ops[0]);
    assertThat(ops[2]).isEqualTo(ops[0]);
  }
}
