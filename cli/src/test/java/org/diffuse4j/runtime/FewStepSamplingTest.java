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
 * as the flow map, and on a flow-map (MeanFlow) run with its own jumps (docs/few-step.md).
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

  static final String MEANFLOW = TestRuns.TINY
      .replace("time_embedding: 16}", "time_embedding: 16, time_scale: 10, times: 2}")
      .replace("parameterisation: velocity", "parameterisation: meanflow")
      .replace("objective: test-regression", "objective: meanflow")
      .replace("solver: test-euler, grid: uniform, steps: 8", "solver: flow-map, grid: uniform, steps: 1");

  @Test
  void meanFlowTrainsATwoTimeNetworkAndSamplesWithItsJumpsOrItsDiagonal() throws Exception {
    Path m = TestRuns.manifest(tmp, MEANFLOW);
    Path run = tmp.resolve("mf");
    Call c = TestRuns.cli("run", m.toString(), "--out", run.toString());
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.resolve("metrics.json").toFile())
        .get("nfe").asInt()).isEqualTo(1);
    double[] jump = Npy.read(run.resolve("samples.npy")).data();
    for (double v : jump) {
      assertThat(Double.isFinite(v)).isTrue();
    }
    // ddim takes the diagonal's velocity h(x, 1, 1); the flow-map sampler the jump h(x, 1, 0): both run, and differ
    Call d = TestRuns.cli("sample", run.toString(), "--set", "sampling.solver=ddim", "--set", "sampling.steps=1");
    assertThat(d.code()).as(d.err()).isZero();
    double[] diagonal = Npy.read(run.resolve("samples/ddim-uniform-1/samples.npy")).data();
    assertThat(diagonal).hasSameSizeAs(jump).isNotEqualTo(jump);
    Call h = TestRuns.cli("sample", run.toString(), "--set", "sampling.solver=heun", "--set", "sampling.steps=4");
    assertThat(h.code()).as(h.err()).isZero();
  }

  @Test
  void aFlowMapRunNeedsItsThreeParts() throws Exception {
    String[][] cases = {
        {MEANFLOW.replace("parameterisation: meanflow", "parameterisation: velocity"),
            "objective 'meanflow' trains a flow map G(x, s, t), but parameterisation 'velocity' is a one-time model's"},
        {MEANFLOW.replace("objective: meanflow", "objective: flow-matching"),
            "parameterisation 'meanflow' is a flow map G(x, s, t), but objective 'flow-matching' trains a one-time model"},
        {MEANFLOW.replace(", times: 2}", "}"), "parameterisation 'meanflow' is a flow map G(x, s, t), but network 'mlp' reads one time"},
        {TestRuns.TINY.replace("time_embedding: 16}", "time_embedding: 16, times: 2}"),
            "network 'mlp' reads two times (s, t), but parameterisation 'velocity' is a one-time model's"},
    };
    for (String[] k : cases) {
      Call c = TestRuns.cli("validate", TestRuns.manifest(tmp, k[0]).toString());
      assertThat(c.code()).as(k[1]).isNotZero();
      assertThat(c.err()).contains(k[1]).contains("network: {name: mlp, times: 2}");
    }
  }
}
