package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.data.Toy2d;
import org.diffuse4j.runtime.metrics.SlicedWasserstein;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's reflow claim on a small two-moons model: one reflow lowers the transport cost of the
 * ODE's (noise, endpoint) pairs and makes one Euler step land on the data (bench/reflow-two-moons.sh
 * measures the full-size version, docs/results.md).
 */
class ReflowTest {
  private static final String TINY = """
      data: two-moons
      network: {name: mlp, width: 64, depth: 2, time_embedding: 16}
      schedule: rectified-flow
      parameterisation: velocity
      objective: flow-matching
      training: {steps: 1500, batch_size: 256, lr: 0.003, warmup: 50, log_every: 500}
      sampling: {solver: heun, grid: uniform, steps: 10, n: 1000, batch_size: 1000}
      seed: 3
      """;

  @TempDir Path tmp;

  @Test
  void oneReflowLowersTheTransportCostAndMakesOneStepEulerWork() throws Exception {
    Path manifest = Files.writeString(tmp.resolve("tiny.yaml"), TINY);
    Path base = tmp.resolve("base");
    Path reflow = tmp.resolve("reflow");
    Path pairs = tmp.resolve("pairs");
    ok(Cli.run("run", manifest.toString(), "--out", base.toString()));
    ok(Cli.run("reflow", base.toString(), "--n", "4000", "--set", "sampling.seed=1", "--out", pairs.toString()));
    ok(Cli.run("run", manifest.toString(), "--out", reflow.toString(), "--set", "objective=reflow", "--set",
        "data={name: npy, path: '" + pairs.resolve("x0.npy") + "', noise: '" + pairs.resolve("noise.npy") + "'}"));

    // both models' ODE from the same 1000 noise rows (sampling seed 3, which training pairs did not use)
    double baseCost = cost(Cli.run("reflow", base.toString(), "--out", tmp.resolve("base-pairs").toString(), "--json"));
    double reflowCost = cost(Cli.run("reflow", reflow.toString(), "--out", tmp.resolve("reflow-pairs").toString(), "--json"));
    assertThat(reflowCost).isLessThan(baseCost);

    double[] data = Toy2d.TWO_MOONS.sample(7_400_001L, 0, 1000);
    double baseSw = oneStepSlicedW2(base, data);
    double reflowSw = oneStepSlicedW2(reflow, data);
    assertThat(baseSw).as("one Euler step of the 1-rectified flow lands near the data mean").isGreaterThan(0.5);
    assertThat(reflowSw).as("after reflow one step is close to the data").isLessThan(0.2);
  }

  private static void ok(Cli c) {
    assertThat(c.code()).as(c.err()).isZero();
  }

  private static double cost(Cli c) throws Exception {
    ok(c);
    return new ObjectMapper().readTree(c.out()).get("transport_cost").asDouble();
  }

  private static double oneStepSlicedW2(Path run, double[] data) throws Exception {
    ok(Cli.run("sample", run.toString(), "--set", "sampling.solver=euler", "--set", "sampling.steps=1", "--name", "one-step"));
    double[] s = Npy.read(run.resolve("samples/one-step/samples.npy")).data();
    return SlicedWasserstein.distance(s, s.length / 2, data, data.length / 2, 2, 256, 1);
  }
}
