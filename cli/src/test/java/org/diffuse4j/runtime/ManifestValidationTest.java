package org.diffuse4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.runtime.TestRuns.Call;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.plugins.PluginDiscovery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestValidationTest {
  static PluginRegistry registry;
  @TempDir Path tmp;

  @BeforeAll
  static void discover() {
    registry = PluginDiscovery.discover((Path) null);
  }

  private static Manifest resolve(String yaml, String... sets) {
    Map<String, Object> tree = ManifestLoader.parse(yaml, "test");
    for (String s : sets) {
      ManifestLoader.override(tree, s);
    }
    return ManifestLoader.resolve(tree, registry);
  }

  @Test
  void tinyManifestResolvesWithDefaults() {
    Manifest m = resolve(TestRuns.TINY);
    assertThat(m.training().steps()).isEqualTo(30);
    assertThat(m.training().warmup()).isZero();
    assertThat(m.sampling().steps()).isEqualTo(8);
    assertThat(m.seed()).isEqualTo(7);
    assertThat(m.data().dim()).isEqualTo(2);
  }

  @Test
  void typoInsideSamplingSuggestsTheKey() {
    assertThatThrownBy(() -> resolve(TestRuns.TINY.replace("{solver:", "{sover:")))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("'sampling.sover'")
        .hasMessageContaining("did you mean 'solver'");
  }

  @Test
  void typoAtTopLevelNamesItAndSuggestsTheSectionKey() {
    assertThatThrownBy(() -> resolve(TestRuns.TINY + "sover: test-euler\n"))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("'sover'")
        .hasMessageContaining("sampling.solver");
    assertThatThrownBy(() -> resolve(TestRuns.TINY + "trainng: {steps: 3}\n"))
        .hasMessageContaining("'trainng'")
        .hasMessageContaining("did you mean 'training'");
  }

  @Test
  void outOfRangeNamesKeyAndRange() {
    assertThatThrownBy(() -> resolve(TestRuns.TINY, "sampling.steps=-1"))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("'sampling.steps'")
        .hasMessageContaining("[1, 100000]");
  }

  @Test
  void wrongTypeIsNamed() {
    assertThatThrownBy(() -> resolve(TestRuns.TINY, "training.batch_size=lots"))
        .hasMessageContaining("wrong type for 'training.batch_size'")
        .hasMessageContaining("integer");
    assertThatThrownBy(() -> resolve(TestRuns.TINY, "sampling=3"))
        .hasMessageContaining("'sampling'")
        .hasMessageContaining("map");
  }

  /**
   * A grid of training timesteps k/N ignores the schedule's range: on EDM (tMin = (0.002/80)^(1/7) ≈ 0.22)
   * 'simple' puts points below tMin, where the solvers' λ inverse is undefined. validate refuses it
   * before any training; a grid that follows the schedule passes.
   */
  @Test
  void gridPointsOutsideTheSchedulesRangeAreRefusedBeforeTraining() {
    assertThatThrownBy(() -> resolve(TestRuns.TINY, "schedule=edm", "sampling.grid=simple", "sampling.solver=dpmpp-2m"))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("outside the schedule's usable range")
        .hasMessageContaining("use a grid that follows it");
    assertThat(resolve(TestRuns.TINY, "schedule=edm", "sampling.grid=karras", "sampling.solver=dpmpp-2m").sampling().steps()).isEqualTo(8);
    assertThat(resolve(TestRuns.TINY, "schedule=vp", "sampling.grid=simple", "sampling.solver=dpmpp-2m").sampling().steps()).isEqualTo(8);
  }

  @Test
  void unknownPluginAndPluginOptionsAreChecked() {
    assertThatThrownBy(() -> resolve(TestRuns.TINY.replace("data: two-moons", "data: two-moon")))
        .hasMessageContaining("unknown data 'two-moon'")
        .hasMessageContaining("did you mean 'two-moons'");
    assertThatThrownBy(() -> resolve(TestRuns.TINY, "network.widht=3"))
        .hasMessageContaining("'network.widht'")
        .hasMessageContaining("did you mean 'width'");
  }

  @Test
  void setOverridesValuesListsAndPluginNames() {
    Manifest m = resolve(TestRuns.TINY, "training.steps=5", "sampling.solver.scale=0.7", "sampling.solver.name=test-sde",
        "network.depth=4", "precision=float64");
    assertThat(m.training().steps()).isEqualTo(5);
    assertThat(m.solver().getClass().getSimpleName()).isEqualTo("NoisyEuler");
    assertThat(m.resolved().get("precision")).isEqualTo("float64");
    assertThat(m.resolved().toString()).contains("depth=4", "scale=0.7");
  }

  @Test
  void missingFileFailsWithThePath() {
    Path missing = tmp.resolve("nope.yaml");
    Call c = TestRuns.cli("validate", missing.toString());
    assertThat(c.code()).isNotZero();
    assertThat(c.err()).contains("manifest file not found", missing.toAbsolutePath().toString())
        .doesNotContain("\tat ");
  }

  @Test
  void validateCommandReportsTypoWithoutStackTrace() throws Exception {
    Path m = TestRuns.manifest(tmp, TestRuns.TINY.replace("{solver:", "{sover:"));
    Call c = TestRuns.cli("validate", m.toString());
    assertThat(c.code()).isNotZero();
    assertThat(c.err()).contains("sover", "solver").doesNotContain("\tat ");
    Call ok = TestRuns.cli("validate", TestRuns.manifest(tmp, TestRuns.TINY).toString(), "--set", "sampling.steps=3");
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("steps: 3", "manifest is valid");
  }
}
