package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names and configs from other libraries through the CLI: an A1111 solver name in a manifest brings
 * its grid ("DPM++ 2M Karras" = dpmpp-2m on karras), and {@code inspect diffusers-config} prints a
 * scheduler_config.json as manifest keys.
 */
class ForeignNamesCliTest {
  @TempDir Path tmp;

  /** The two-moons example without its sampling.grid line. */
  private Path manifestWithoutGrid() throws Exception {
    String text = Files.readString(Manifests.twoMoons()).replace("  grid: uniform\n", "");
    assertThat(text).doesNotContain("grid:");
    Path m = tmp.resolve("m.yaml");
    Files.writeString(m, text);
    return m;
  }

  @Test
  void anA1111NameAppliesItsGrid() throws Exception {
    Cli c = Cli.run("validate", manifestWithoutGrid().toString(), "--set", "sampling.solver=DPM++ 2M Karras");
    assertThat(c.code()).as(c.err()).isEqualTo(0);
    assertThat(c.out()).containsPattern("grid: \"?karras\"?");
    // a name without a grid leaves the default grid
    Cli plain = Cli.run("validate", manifestWithoutGrid().toString(), "--set", "sampling.solver=DPM++ 2M");
    assertThat(plain.code()).as(plain.err()).isEqualTo(0);
    assertThat(plain.out()).containsPattern("grid: \"?uniform\"?");
  }

  @Test
  void anA1111NameWithTheSameGridIsAccepted() throws Exception {
    Cli c = Cli.run("validate", manifestWithoutGrid().toString(), "--set", "sampling.solver=DPM++ 2M Karras",
        "--set", "sampling.grid={name: karras, rho: 5}");
    assertThat(c.code()).as(c.err()).isEqualTo(0);
    assertThat(c.out()).contains("rho: 5");
  }

  @Test
  void anA1111NameWithAnotherGridIsRefusedNamingBoth() {
    Cli c = Cli.run("validate", Manifests.twoMoons().toString(), "--set", "sampling.solver=DPM++ 2M Karras");
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err()).contains("DPM++ 2M Karras", "karras", "uniform", "remove sampling.grid");
  }

  @Test
  void inspectDiffusersConfigPrintsManifestKeys() throws Exception {
    // Stable Diffusion v1.5's scheduler_config.json, written out from its published values
    Path f = tmp.resolve("scheduler_config.json");
    Files.writeString(f, """
        {"_class_name": "PNDMScheduler", "_diffusers_version": "0.6.0", "beta_end": 0.012,
         "beta_schedule": "scaled_linear", "beta_start": 0.00085, "num_train_timesteps": 1000,
         "set_alpha_to_one": false, "skip_prk_steps": true, "steps_offset": 1, "trained_betas": null,
         "clip_sample": false, "thresholding": true}""");
    var w = Fuzz.watch(tmp);
    Cli c = Cli.run("inspect", "diffusers-config", f.toString());
    assertThat(c.code()).as(c.err()).isEqualTo(0);
    assertThat(c.out()).contains("schedule:", "discrete", "scaled-linear", "parameterisation:", "eps",
        "sampling:", "plms", "discrete-leading", "steps_offset: 1", "# note: thresholding");
    // a folder holding the file works too
    assertThat(Cli.run("inspect", "diffusers-config", tmp.toString()).out()).isEqualTo(c.out());
    w.assertUnchanged("inspect diffusers-config only reads");
  }

  /** The command of docs/solvers.md, on the example shipped in examples/diffusers. */
  @Test
  void theDocumentedExampleWorks() {
    Path example = ThirdPartyJar.repoRoot().resolve("examples/diffusers/scheduler_config.json");
    Cli c = Cli.run("inspect", "diffusers-config", example.toString());
    assertThat(c.code()).as(c.err()).isEqualTo(0);
    assertThat(c.out()).contains("name: \"plms\"", "name: \"discrete-leading\"", "beta_schedule: \"scaled-linear\"");
  }

  @Test
  void inspectDiffusersConfigNamesTheCause() throws Exception {
    Path missing = tmp.resolve("nope.json");
    Cli c = Cli.run("inspect", "diffusers-config", missing.toString());
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err()).contains("nope.json", "scheduler_config.json");
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "{\"_class_name\": \"FancyScheduler\", \"beta_schedule\": \"linear\"}");
    Cli b = Cli.run("inspect", "diffusers-config", bad.toString());
    assertThat(b.code()).isEqualTo(2);
    assertThat(b.err()).contains("FancyScheduler", "no equivalent");
  }
}
