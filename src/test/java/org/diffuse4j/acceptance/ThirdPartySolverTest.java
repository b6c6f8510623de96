package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffuse4j.api.io.Npy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example plugin in examples/third-party-solver, built against the api alone, dropped into a plugins folder. */
class ThirdPartySolverTest {
  @TempDir static Path tmp;
  static Path plugins;

  @BeforeAll
  static void buildJar() throws Exception {
    plugins = tmp.resolve("plugins");
    ThirdPartyJar.build(plugins, "ssprk3-solver-1.0.jar");
  }

  @Test
  void isListedWithItsJarAsSource() throws Exception {
    Cli c = Cli.run("plugins", "--json", "--plugins", plugins.toString());
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode found = null;
    for (JsonNode p : new ObjectMapper().readTree(c.out())) {
      if (p.get("kind").asText().equals("solver") && p.get("name").asText().equals("ssprk3")) {
        found = p;
      }
    }
    assertThat(found).as("ssprk3 in plugins --json").isNotNull();
    assertThat(found.get("source").asText()).contains("ssprk3-solver-1.0.jar");
    assertThat(found.get("description").asText()).contains("Shu");
  }

  @Test
  void samplesFromAManifest() throws Exception {
    Path out = tmp.resolve("run");
    Cli c = Cli.run("run", Manifests.twoMoons().toString(), "--plugins", plugins.toString(), "--out", out.toString(),
        "--set", "training.steps=40", "--set", "training.warmup=4", "--set", "training.batch_size=128", "--set", "network.width=32",
        "--set", "sampling.solver=ssprk3", "--set", "sampling.steps=10", "--set", "sampling.n=200");
    assertThat(c.code()).as(c.err()).isZero();
    Npy.Array s = Npy.read(out.resolve("samples.npy"));
    assertThat(s.shape()).containsExactly(200, 2);
    for (double v : s.data()) {
      assertThat(v).isFinite();
    }
    JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertThat(metrics.get("nfe").asInt()).isEqualTo(30); // 10 steps × 3 evaluations
  }

  @Test
  void passesTheConformanceKitLoadedFromItsJar() throws Exception {
    try (java.net.URLClassLoader jar = new java.net.URLClassLoader(
        new java.net.URL[] {plugins.resolve("ssprk3-solver-1.0.jar").toUri().toURL()}, getClass().getClassLoader())) {
      org.diffuse4j.api.Solver solver = (org.diffuse4j.api.Solver)
          jar.loadClass("com.example.ssprk3.Ssprk3").getDeclaredConstructor().newInstance();
      org.diffuse4j.testkit.SolverConformance.assertConforms(solver);
    }
  }

  @Test
  void aDuplicateNameFailsNamingBothJars() throws Exception {
    Path twice = tmp.resolve("twice");
    Files.createDirectories(twice);
    Files.copy(plugins.resolve("ssprk3-solver-1.0.jar"), twice.resolve("ssprk3-solver-1.0.jar"));
    Files.copy(plugins.resolve("ssprk3-solver-1.0.jar"), twice.resolve("ssprk3-copy.jar"));
    Cli c = Cli.run("plugins", "--plugins", twice.toString());
    assertThat(c.code()).isNotZero();
    assertThat(c.err()).contains("ssprk3", "ssprk3-solver-1.0.jar", "ssprk3-copy.jar").doesNotContain("\tat ");
  }
}
