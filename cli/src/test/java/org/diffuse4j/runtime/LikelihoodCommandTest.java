package org.diffuse4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.runtime.TestRuns.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code likelihood} and {@code encode} commands on the analytic mixture (no training). */
class LikelihoodCommandTest {
  @TempDir Path tmp;

  private static final String GMM_VP = """
      data: gmm
      network: gmm
      schedule: vp
      parameterisation: velocity
      objective: flow-matching
      sampling: {solver: rk4, steps: 64}
      precision: float64
      seed: 3
      """;

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(Call c) throws Exception {
    assertThat(c.code()).as(c.err()).isZero();
    return new ObjectMapper().readValue(c.out(), Map.class);
  }

  private static double num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }

  @Test
  void likelihoodOfTheMixtureMatchesItsTrueDensity() throws Exception {
    String manifest = TestRuns.manifest(tmp, GMM_VP).toString();
    Map<String, Object> exact = json(TestRuns.cli("likelihood", manifest, "--n", "256", "--json"));
    assertThat(num(exact, "mean_abs_diff_true")).isLessThan(0.01);
    assertThat(Math.abs(num(exact, "mean_nll") - num(exact, "mean_nll_true"))).isLessThan(0.01);
    assertThat(num(exact, "nfe")).isEqualTo(256);
    assertThat(num(exact, "n")).isEqualTo(256);

    Map<String, Object> h = json(TestRuns.cli("likelihood", manifest, "--n", "256", "--divergence", "hutchinson",
        "--probes", "8", "--steps", "32", "--json"));
    assertThat(Math.abs(num(h, "mean_nll") - num(exact, "mean_nll"))).isLessThan(3 * num(h, "probe_std_error"));
    assertThat(h).containsKeys("std_error", "probe_std_error").doesNotContainKey("bits_per_dim");
  }

  @Test
  void likelihoodReadsDataFromAFile() throws Exception {
    GaussianMixture g = GaussianMixture.standard2d();
    double[] x = g.sample(5, 0, 50);
    Path data = tmp.resolve("x.npy");
    Npy.writeFloat64(data, x, 50, 2);
    double nllTrue = 0;
    for (int i = 0; i < 50; i++) {
      nllTrue -= g.logDensity(new double[] {x[2 * i], x[2 * i + 1]}) / 50;
    }
    Map<String, Object> m = json(TestRuns.cli("likelihood", TestRuns.manifest(tmp, GMM_VP).toString(), "--data",
        data.toString(), "--prior", "exact", "--solver", "dopri5", "--steps", "32", "--json"));
    assertThat(num(m, "n")).isEqualTo(50);
    assertThat(num(m, "mean_nll_true")).isCloseTo(nllTrue, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(num(m, "mean_abs_diff_true")).isLessThan(1e-3);
  }

  @Test
  void encodeRoundTripsAndWritesLatents() throws Exception {
    String manifest = TestRuns.manifest(tmp, GMM_VP).toString();
    Path data = tmp.resolve("x.npy");
    Npy.writeFloat64(data, GaussianMixture.standard2d().sample(9, 0, 200), 200, 2);
    Path z = tmp.resolve("z.npy");
    Map<String, Object> fine = json(TestRuns.cli("encode", manifest, "--data", data.toString(), "--out", z.toString(), "--json"));
    Map<String, Object> coarse = json(TestRuns.cli("encode", manifest, "--data", data.toString(), "--out",
        tmp.resolve("z16.npy").toString(), "--steps", "16", "--json"));
    assertThat(num(fine, "max_error")).isLessThan(1e-3).isLessThan(num(coarse, "max_error"));
    assertThat(Npy.read(z).shape()).containsExactly(200, 2);

    byte[] written = java.nio.file.Files.readAllBytes(z);
    Call again = TestRuns.cli("encode", manifest, "--data", data.toString(), "--out", z.toString(), "--steps", "16");
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).contains("exists", "--force");
    assertThat(java.nio.file.Files.readAllBytes(z)).as("a refused encode leaves the file as it was").isEqualTo(written);
    Call forced = TestRuns.cli("encode", manifest, "--data", data.toString(), "--out", z.toString(), "--steps", "16", "--force");
    assertThat(forced.code()).as(forced.err()).isZero();
    assertThat(Npy.read(z).data()).containsExactly(Npy.read(tmp.resolve("z16.npy")).data());
    Call self = TestRuns.cli("encode", manifest, "--data", data.toString(), "--out", data.toString(), "--force");
    assertThat(self.code()).isEqualTo(2);
    assertThat(self.err()).contains("is --data");
  }

  @Test
  void badSettingsFailWithClearMessages() throws Exception {
    String manifest = TestRuns.manifest(tmp, GMM_VP).toString();
    Call c = TestRuns.cli("likelihood", manifest, "--divergence", "hutchinson", "--probes", "0");
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err()).contains("--probes must be >= 1");
    c = TestRuns.cli("likelihood", manifest, "--divergence", "foo");
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err()).contains("'foo'", "exact, hutchinson");
    c = TestRuns.cli("likelihood", manifest, "--solver", "euler-maruyama", "--steps", "4", "--n", "8");
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err()).contains("stochastic");
    c = TestRuns.cli("likelihood", manifest, "--data", tmp.resolve("missing.npy").toString());
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err()).contains("--data: file not found");
    c = TestRuns.cli("encode", manifest, "--data", tmp.resolve("missing.npy").toString(), "--out", tmp.resolve("z.npy").toString());
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err()).contains("--data: file not found");
    c = TestRuns.cli("likelihood", TestRuns.manifest(tmp, TestRuns.TINY).toString(), "--n", "8");
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err()).contains("pass a run folder with a checkpoint");
  }

  @Test
  void sampleModeWritesTheSamplesAndTheirTrueLikelihood() throws Exception {
    String manifest = TestRuns.manifest(tmp, GMM_VP).toString();
    Path out = tmp.resolve("x.npy");
    Map<String, Object> m = json(TestRuns.cli("likelihood", manifest, "--sample", "64", "--prior", "exact",
        "--out", out.toString(), "--json"));
    assertThat(m.get("mode")).isEqualTo("sampled");
    assertThat(num(m, "mean_abs_diff_true")).isLessThan(1e-3);
    assertThat(num(m, "nfe")).isEqualTo(256);
    double[] x = org.diffuse4j.api.io.Npy.read(out).data();
    assertThat(x).hasSize(128);
    // the written rows are the ones scored: the mixture's density at them gives mean_nll_true
    org.diffuse4j.api.analytic.GaussianMixture g = org.diffuse4j.api.analytic.GaussianMixture.standard2d();
    double nll = 0;
    for (int i = 0; i < 64; i++) {
      nll -= g.logDensity(new double[] {x[2 * i], x[2 * i + 1]}) / 64;
    }
    assertThat(nll).isCloseTo(num(m, "mean_nll_true"), org.assertj.core.api.Assertions.within(1e-4));
    Call c = TestRuns.cli("likelihood", manifest, "--sample", "8", "--data", out.toString());
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err()).contains("cannot be combined with --data");
    c = TestRuns.cli("likelihood", manifest, "--out", out.toString());
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err()).contains("add --sample N");
  }
}
