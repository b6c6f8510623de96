package org.diffuse4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.runtime.TestRuns.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvergenceCommandTest {
  @TempDir Path tmp;

  @Test
  void eulerIsFirstOrderAndHeunSecondOnTheMixture() throws Exception {
    Call c = TestRuns.cli("convergence", "--solver", "euler,heun", "--schedule", "rectified-flow",
        "--steps", "16,32,64", "--json");
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode r = new ObjectMapper().readTree(c.out());
    assertThat(r.get(0).get("order").asDouble()).isCloseTo(1.0, within(0.3));
    assertThat(r.get(1).get("order").asDouble()).isCloseTo(2.0, within(0.3));
    assertThat(r.get(1).get("nfe").get(0).asInt()).isEqualTo(32);
    assertThat(r.get(0).get("error").get(2).asDouble()).isLessThan(r.get(0).get("error").get(0).asDouble());
  }

  @Test
  void startsFromGivenNoise() throws Exception {
    double[] x = GaussianMixture.standard2d().sample(3, 0, 8); // any 8 points at t_max
    Path init = tmp.resolve("x.npy");
    Npy.writeFloat64(init, x, 8, 2);
    Call c = TestRuns.cli("convergence", "--solver", "{name: dpm-solver, order: 2}", "--steps", "8,16",
        "--init", init.toString(), "--json");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(new ObjectMapper().readTree(c.out()).get("solver").asText()).isEqualTo("dpm-solver {order=2}");
  }

  @Test
  void badRequestsFailClearly() {
    Call one = TestRuns.cli("convergence", "--solver", "euler", "--steps", "16");
    assertThat(one.code()).isNotZero();
    assertThat(one.err()).contains("at least 2 step counts");
    Call sde = TestRuns.cli("convergence", "--solver", "euler-maruyama");
    assertThat(sde.code()).isNotZero();
    assertThat(sde.err()).contains("stochastic");
    Call name = TestRuns.cli("convergence", "--solver", "eulr");
    assertThat(name.code()).isNotZero();
    assertThat(name.err()).contains("did you mean 'euler'");
  }
}
