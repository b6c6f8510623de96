package org.diffuse4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.diffuse4j.runtime.TestRuns.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
  @TempDir Path tmp;

  @Test
  void scheduleAtATimeMatchesTheClosedForm() throws Exception {
    Call c = TestRuns.cli("inspect", "schedule", "vp", "--t", "0.5", "--json");
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode v = new ObjectMapper().readTree(c.out());
    double b = 0.1 * 0.5 + 0.5 * (20 - 0.1) * 0.25; // ∫₀^½ β
    assertThat(v.get("alpha").asDouble()).isCloseTo(Math.exp(-b / 2), within(1e-12));
    assertThat(v.get("sigma").asDouble()).isCloseTo(Math.sqrt(1 - Math.exp(-b)), within(1e-12));
    assertThat(v.get("g2").asDouble()).isCloseTo(0.1 + 19.9 * 0.5, within(1e-9));
    assertThat(v.get("f").asDouble()).isCloseTo(-(0.1 + 19.9 * 0.5) / 2, within(1e-9));
    assertThat(v.get("lambda").asDouble()).isCloseTo(Math.log(Math.exp(-b / 2) / Math.sqrt(1 - Math.exp(-b))), within(1e-12));
  }

  @Test
  void aMissingRunFolderIsNamedAsSuch() throws Exception {
    Call c = TestRuns.cli("inspect", "schedule", "runs/no-such-run", "--t", "0.5");
    assertThat(c.code()).isNotZero();
    assertThat(c.err()).contains("'runs/no-such-run' is not a run folder").doesNotContain("unknown schedule");
  }

  @Test
  void optionsApplyThroughSet() throws Exception {
    Call c = TestRuns.cli("inspect", "schedule", "vp", "--set", "beta_max=10", "--t", "1", "--json");
    assertThat(c.code()).as(c.err()).isZero();
    double b = 0.1 + 0.5 * 9.9;
    assertThat(new ObjectMapper().readTree(c.out()).get("alpha").asDouble()).isCloseTo(Math.exp(-b / 2), within(1e-12));
  }

  @Test
  void karrasGridEndsExactlyAtSigmaMaxAndMin() throws Exception {
    Call c = TestRuns.cli("inspect", "grid", "karras", "--schedule", "edm", "--steps", "7", "--json");
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode v = new ObjectMapper().readTree(c.out());
    assertThat(v.get("t")).hasSize(8);
    assertThat(v.get("sigma").get(0).asDouble()).isCloseTo(80.0, within(1e-9));
    assertThat(v.get("sigma").get(7).asDouble()).isCloseTo(0.002, within(1e-12));
    for (int k = 1; k < 8; k++) {
      assertThat(v.get("t").get(k).asDouble()).isLessThan(v.get("t").get(k - 1).asDouble());
    }
  }

  @Test
  void plotsAreWritten() throws Exception {
    Path png = tmp.resolve("s.png");
    Call c = TestRuns.cli("inspect", "schedule", "vp", "--compare", "rectified-flow,trig", "--out", png.toString());
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(ImageIO.read(png.toFile()).getHeight()).isGreaterThan(600);
  }

  @Test
  void compareLabelsCarryOptionsAndTheDefaultOutputIsTheRunFolder() throws Exception {
    Path png = tmp.resolve("cmp.png");
    Call c = TestRuns.cli("inspect", "schedule", "vp", "--set", "beta_max=10", "--compare", "rectified-flow,vp-cosine",
        "--out", png.toString());
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(png).exists();
    assertThat(tmp.resolve("coefficients.svg")).doesNotExist();
    // A run folder as NAME: its manifest's schedule, and schedule.png inside the folder, not in the working directory.
    Path run = Files.createDirectories(tmp.resolve("run"));
    Files.writeString(run.resolve("manifest.yaml"), "schedule: {name: vp, beta_max: 12}\n");
    Call r = TestRuns.cli("inspect", "schedule", run.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(run.resolve("schedule.png")).exists();
    assertThat(r.out()).contains(run.resolve("schedule.png").toAbsolutePath().toString());
    assertThat(Path.of("schedule.png")).doesNotExist();
  }

  @Test
  void badInputsFailClearly() {
    Call steps = TestRuns.cli("inspect", "grid", "uniform", "--steps", "0");
    assertThat(steps.code()).isNotZero();
    assertThat(steps.err()).contains("--steps must be >= 1");
    Call name = TestRuns.cli("inspect", "schedule", "vpp", "--t", "0.5");
    assertThat(name.code()).isNotZero();
    assertThat(name.err()).contains("unknown schedule 'vpp'", "did you mean 'vp'");
    Call opt = TestRuns.cli("inspect", "schedule", "vp", "--set", "beta_max=0.01", "--t", "0.5");
    assertThat(opt.code()).isNotZero();
    assertThat(opt.err()).contains("beta_max");
  }
}
