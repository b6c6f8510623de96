package org.diffuse4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffuse4j.runtime.TestRuns.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The error-vs-NFE figure of docs/solvers.md, drawn by the {@code convergence} command with the
 * samplers of issue 13 among the others; every error falls from 8 to 128 steps. To redraw the
 * committed figure:
 * {@code mvn -o -q -pl cli -am -Dtest=SolversFigureTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dsolvers.figure=$PWD/docs/img/solvers-error-vs-nfe.png test}.
 */
class SolversFigureTest {
  static final String SOLVERS = "euler,heun,rk4,ddim,dpm-2,dpmpp-2s,dpmpp-2m,res-multistep,dpmpp-3m,"
      + "{name: dpmpp-3m-sde, eta: 0},{name: dpm-solver, order: 3},unipc,lms,heunpp2,{name: sa-solver, tau: 0},"
      + "{name: dpm-adaptive, max_trials: 4}";

  @TempDir Path tmp;

  @Test
  void theFigureShowsEverySolverConverging() throws Exception {
    String out = System.getProperty("solvers.figure");
    Path png = out == null ? tmp.resolve("solvers-error-vs-nfe.png") : Path.of(out);
    Call c = TestRuns.cli("convergence", "--solver", SOLVERS, "--schedule", "vp", "--steps", "8,16,32,64,128",
        "--plot", png.toString(), "--force", "--json");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(Files.size(png)).isGreaterThan(1000);
    JsonNode r = new ObjectMapper().readTree(c.out());
    assertThat(r.size()).isEqualTo(16);
    for (JsonNode s : r) {
      JsonNode e = s.get("error");
      assertThat(e.get(4).asDouble()).as(s.get("solver").asText()).isLessThan(e.get(0).asDouble());
      System.out.printf("figure %-28s order %.2f errors %s%n", s.get("solver").asText(), s.get("order").asDouble(), e);
    }
  }
}
