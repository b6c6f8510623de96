package org.diffuse4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.runtime.TestRuns.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The few-step samplers run on an ordinary (velocity) run through {@code sample}, with DDIM's jump
 * as the flow map (docs/few-step.md); flow-map parameterisations are not yet buildable in a run and
 * say so.
 */
class FewStepSamplingTest {
  @TempDir Path tmp;

  @Test
  void fewStepSamplersSampleAnOrdinaryRun() throws Exception {
    Path m = TestRuns.manifest(tmp, TestRuns.TINY);
    Path run = tmp.resolve("run");
    Call c = TestRuns.cli("run", m.toString(), "--out", run.toString());
    assertThat(c.code()).as(c.err()).isZero();
    for (String solver : new String[] {"flow-map", "multistep-consistency", "tcd", "lcm", "ddim"}) {
      Call s = TestRuns.cli("sample", run.toString(), "--set", "sampling.solver=" + solver,
          "--set", "sampling.steps=4", "--set", "sampling.n=50", "--set", "sampling.grid={name: uniform, to_zero: true}");
      assertThat(s.code()).as(solver + ": " + s.err()).isZero();
      double[] x = Npy.read(run.resolve("samples/" + solver + "-uniform-4/samples.npy")).data();
      assertThat(x).hasSize(100);
      for (double v : x) {
        assertThat(Double.isFinite(v)).as(solver).isTrue();
      }
    }
    // without a flow-map model, chaining the implied flow map is DDIM
    double[] chain = Npy.read(run.resolve("samples/flow-map-uniform-4/samples.npy")).data();
    double[] ddim = Npy.read(run.resolve("samples/ddim-uniform-4/samples.npy")).data();
    for (int i = 0; i < chain.length; i++) {
      assertThat(chain[i]).isCloseTo(ddim[i], within(1e-4 * (1 + Math.abs(ddim[i]))));
    }
  }

  @Test
  void consistencyTrainingRunsThroughTheTrainerAndSamplesInOneStep() throws Exception {
    // the objective pairs each example's time with the level below; the trainer feeds both
    String yaml = TestRuns.TINY.replace("schedule: rectified-flow", "schedule: edm")
        .replace("parameterisation: velocity", "parameterisation: edm")
        .replace("objective: test-regression", "objective: {name: consistency-training, total_steps: 30}")
        .replace("solver: test-euler, grid: uniform, steps: 8", "solver: multistep-consistency, grid: {name: karras, to_zero: true}, steps: 1");
    Path m = TestRuns.manifest(tmp, yaml);
    Path run = tmp.resolve("ct");
    Call c = TestRuns.cli("run", m.toString(), "--out", run.toString());
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.resolve("metrics.json").toFile())
        .get("nfe").asInt()).isEqualTo(1);
    for (double v : Npy.read(run.resolve("samples.npy")).data()) {
      assertThat(Double.isFinite(v)).isTrue();
    }
  }

  @Test
  void aFlowMapParameterisationIsRefusedByName() throws Exception {
    Path m = TestRuns.manifest(tmp, TestRuns.TINY.replace("parameterisation: velocity", "parameterisation: ctm"));
    Call c = TestRuns.cli("validate", m.toString());
    assertThat(c.code()).isNotZero();
    assertThat(c.err()).contains("CtmParameterisation, not a Parameterisation");
  }
}
