package org.diffuse4j.runtime.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.NoOptions;
import org.diffuse4j.api.plugin.PluginInfo;
import org.diffuse4j.api.plugin.PluginProvider;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.runtime.TestRuns;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.plugins.PluginDiscovery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/**
 * The step graphs' trace runs ahead of sampling one run of steps at a time ({@link StepTrace}): the
 * engine's constructor traces the first run only, whatever the step count, and a signature that
 * first appears late (heun's last step to t = 0), a step the Java trace cannot do late in the run,
 * or a step that cannot run on its own late in the run, all still give the unrolled loop's bits.
 */
class LazyStepTraceTest {
  private static final int B = 5;
  private static final int N = 7; // two chunks of 5: the first traces as it goes, the second reuses the trace

  private static final String YAML = StepGraphsTest.YAML;

  /** Heun, with steps from {@code late} on also building x + 0·⌈x⌉: an op (Ceil) the Java trace does not infer. */
  private record LateCeil(Solver heun, int late) implements Solver {
    @Override
    public SolverTraits traits() {
      return heun.traits();
    }

    @Override
    public int evaluations(double[] times, org.diffuse4j.api.Schedule schedule) {
      return heun.evaluations(times, schedule);
    }

    @Override
    public SolverState step(SamplingProblem problem, SolverState state) {
      SolverState out = heun.step(problem, state);
      if (state.k() < late) {
        return out;
      }
      Tensor x = out.x();
      @SuppressWarnings({"unchecked", "rawtypes"})
      Tensor ceil = x.backend().wrap(x.backend().tf().math.ceil((Operand) x.op()));
      return new SolverState(out.k(), x.plus(ceil.times(0)), out.history(), out.nfe());
    }
  }

  /**
   * Heun, with steps from {@code late} on reading the initial x kept from {@link #init} in a field:
   * a step that cannot run on its own (the contract forbids it; the unrolled loop does not mind).
   */
  private static final class LateOutside implements Solver {
    private final Solver heun;
    private final int late;
    private Tensor kept;

    LateOutside(Solver heun, int late) {
      this.heun = heun;
      this.late = late;
    }

    @Override
    public SolverTraits traits() {
      return heun.traits();
    }

    @Override
    public int evaluations(double[] times, org.diffuse4j.api.Schedule schedule) {
      return heun.evaluations(times, schedule);
    }

    @Override
    public SolverState init(SamplingProblem problem) {
      SolverState s = heun.init(problem);
      kept = s.x();
      return s;
    }

    @Override
    public SolverState step(SamplingProblem problem, SolverState state) {
      SolverState out = heun.step(problem, state);
      return state.k() < late ? out : new SolverState(out.k(), out.x().plus(kept.times(0)), out.history(), out.nfe());
    }
  }

  @TempDir static Path tmp;
  static Path file;
  static PluginRegistry registry;

  @BeforeAll
  static void write() throws Exception {
    file = TestRuns.manifest(tmp, YAML);
    PluginRegistry plain = PluginDiscovery.discover(null);
    Solver heun = resolve(plain, "sampling.solver=heun").solver();
    registry = PluginDiscovery.discover(null)
        .add(PluginProvider.of(new PluginInfo(Kind.SOLVER, "late-ceil", "heun, Ceil from step 16 on", "test"),
            NoOptions.class, o -> new LateCeil(heun, 16)), "test")
        .add(PluginProvider.of(new PluginInfo(Kind.SOLVER, "late-outside", "heun, a kept tensor from step 16 on", "test"),
            NoOptions.class, o -> new LateOutside(heun, 16)), "test");
  }

  private static Manifest resolve(PluginRegistry r, String... overrides) {
    Map<String, Object> tree = ManifestLoader.read(file);
    for (String o : overrides) {
      ManifestLoader.override(tree, o);
    }
    return ManifestLoader.resolve(tree, r);
  }

  private static Manifest manifest(String... overrides) {
    return resolve(registry, overrides);
  }

  private static double[] unrolled(Manifest m) {
    try (SamplingEngine e = new SamplingEngine(m, 2, B, null, 0)) {
      return e.sample(11, N, null, null);
    }
  }

  @Test
  void theConstructorTracesOnlyTheFirstRunWhateverTheStepCount() {
    for (int steps : new int[] {500, 50_000}) {
      Manifest m = manifest("sampling.steps=" + steps, "guidance=none", "sampling.label=-1");
      try (SamplingEngine e = new SamplingEngine(m, 2, B, null)) {
        // the initial state and heun's first 63 steps, one graph
        assertThat(e.tracedSteps()).as("%d steps", steps).isEqualTo(StepGraphs.STEPS_PER_RUN);
        assertThat(e.stepGraphs()).as("%d steps", steps).isEqualTo(1);
        if (steps == 500) {
          // the first chunk traces the rest and builds the steady runs' and the last run's graphs
          e.sample(3, N, null, null);
          assertThat(e.tracedSteps()).isEqualTo(steps + 1);
          assertThat(e.stepGraphs()).isEqualTo(3);
        }
      }
    }
  }

  @Test
  void aSignatureFirstSeenLateGivesTheUnrolledLoopsBits() {
    // 40 steps and the initial state in runs of 7: five runs of 7 and one of 6 (5 steady steps and
    // heun's last step, an Euler step to t = 0: a signature no earlier run has)
    for (String solver : new String[] {"heun", "dpmpp-3m"}) {
      Manifest m = manifest("sampling.solver=" + solver, "sampling.steps=40");
      double[] reference = unrolled(m);
      try (SamplingEngine e = new SamplingEngine(m, 2, B, null, 7)) {
        assertThat(e.tracedSteps()).as(solver).isEqualTo(7);
        assertThat(e.stepGraphs()).as(solver).isEqualTo(1);
        assertThat(e.sample(11, N, null, null)).as(solver).containsExactly(reference);
        assertThat(e.tracedSteps()).as(solver).isEqualTo(41);
        assertThat(e.stepGraphs()).as(solver).isEqualTo(3);
        assertThat(e.tracedInJava()).as(solver).isTrue();
        // and again, from the recorded trace
        assertThat(e.sample(11, N, null, null)).as(solver).containsExactly(reference);
      }
    }
  }

  @Test
  void aStepTheJavaTraceCannotDoLateIsTracedInTensorFlowWithTheStepsAfterIt() {
    Manifest m = manifest("sampling.solver=late-ceil", "sampling.steps=20");
    double[] reference = unrolled(m);
    try (SamplingEngine e = new SamplingEngine(m, 2, B, null, 4)) {
      assertThat(e.tracedInJava()).isTrue();
      assertThat(e.sample(11, N, null, null)).containsExactly(reference);
      assertThat(e.tracedInJava()).isFalse();
      assertThat(e.tracedSteps()).isEqualTo(21);
      assertThat(e.stepGraphs()).isPositive();
    }
  }

  @Test
  void aStepThatCannotRunOnItsOwnLateUnrollsTheLoop() {
    Manifest m = manifest("sampling.solver=late-outside", "sampling.steps=20");
    double[] reference = unrolled(m);
    try (SamplingEngine e = new SamplingEngine(m, 2, B, null, 4)) {
      assertThat(e.stepGraphs()).isEqualTo(1);
      assertThat(e.sample(11, N, null, null)).containsExactly(reference);
      assertThat(e.stepGraphs()).isZero();
      assertThat(e.sample(11, N, null, null)).containsExactly(reference);
    }
  }
}
