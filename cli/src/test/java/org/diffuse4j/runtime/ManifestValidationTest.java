package org.diffuse4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
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

  /**
   * A progressive-distillation student of N steps has learnt one step between adjacent times of its
   * grid (uniform from the schedule's tMax to tMin) and nothing else: validate (and run, sample) refuse
   * any other sampling grid and name the one that fits.
   */
  @Test
  void progressiveDistillationStudentSamplesOnItsTrainingGrid() throws Exception {
    Path teacher = Files.createDirectories(tmp.resolve("teacher"));
    Files.writeString(teacher.resolve("manifest.yaml"), """
        data: gmm
        network: gmm
        schedule: rectified-flow
        parameterisation: velocity
        """);
    String student = """
        data: gmm
        network: {name: mlp, width: 8, depth: 1, time_embedding: 4}
        schedule: rectified-flow
        parameterisation: velocity
        objective: {name: progressive-distillation, student_steps: 4, init: false}
        teacher: {run: '%s', solver: ddim}
        training: {steps: 5, batch_size: 8, lr: 0.01}
        sampling: {solver: ddim, grid: uniform, steps: 4, n: 8}
        """.formatted(teacher);
    // its own grid: 0.9999, 0.74995, 0.5, 0.25005, 0.0001, as uniform or as the explicit list
    assertThat(resolve(student).sampling().steps()).isEqualTo(4);
    assertThat(resolve(student, "sampling.grid={name: explicit, times: [0.9999, 0.74995, 0.5, 0.25005, 0.0001]}"))
        .isNotNull();
    assertThatThrownBy(() -> resolve(student, "sampling.steps=2"))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("'progressive-distillation' trains a student for 4 steps on the times "
            + "[0.9999, 0.74995, 0.5, 0.25005, 0.0001]")
        .hasMessageContaining("sampling.steps=2 visits 2 steps")
        .hasMessageContaining("--set sampling.steps=4 --set \"sampling.grid=uniform\"");
    // the right number of steps on another grid
    assertThatThrownBy(() -> resolve(student, "sampling.grid=karras"))
        .hasMessageContaining("sampling.steps=4 visits point ")
        .hasMessageContaining("; sample it on its own grid")
        .hasMessageNotContaining("distil a student");
    assertThatThrownBy(() -> resolve(student, "sampling.steps=8")).hasMessageContaining("distil a student for 8 steps");
    // a grid of the objective's own bounds: the fix names them
    String bounded = student.replace("init: false}", "init: false, t_max: 0.9, t_min: 0}");
    assertThat(resolve(bounded, "sampling.grid={name: uniform, t_max: 0.9, t_min: 0}")).isNotNull();
    assertThatThrownBy(() -> resolve(bounded))
        .hasMessageContaining("[0.9, 0.675, 0.45, 0.225, 0]")
        .hasMessageContaining("sampling.grid={name: uniform, t_max: 0.9, t_min: 0.0}");
    // every other objective samples on any grid
    assertThat(resolve(TestRuns.TINY, "sampling.steps=3").sampling().steps()).isEqualTo(3);
  }
}
