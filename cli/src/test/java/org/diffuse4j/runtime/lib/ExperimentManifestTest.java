package org.diffuse4j.runtime.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.runtime.TestRuns;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.plugins.PluginDiscovery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The builder and the manifest say the same thing both ways, and a builder's run is the CLI's run of its YAML. */
class ExperimentManifestTest {
  private static Experiment.Builder small() {
    return Experiment.builder()
        .data("two-moons")
        .network("mlp", Map.of("width", 32, "depth", 2, "time_embedding", 16))
        .schedule("rectified-flow")
        .parameterisation("velocity")
        .objective("flow-matching")
        .training(Training.defaults().steps(40).batchSize(64).lr(3e-3).logEvery(20))
        .sampling(Sampling.defaults().solver("heun").steps(8).n(300).batchSize(100))
        .seed(5);
  }

  @Test
  void theBuildersYamlRunByTheCliGivesTheSameSamples(@TempDir Path dir) throws IOException {
    Experiment experiment = small().build();
    Path yaml = experiment.writeYaml(dir.resolve("m.yaml"));
    Run java = experiment.run(dir.resolve("java"));
    TestRuns.Call cli = TestRuns.cli("run", yaml.toString(), "--out", dir.resolve("cli").toString());
    assertThat(cli.code()).as(cli.err()).isZero();

    Path cliDir = dir.resolve("cli");
    assertThat(Files.mismatch(java.dir().resolve("samples.npy"), cliDir.resolve("samples.npy"))).isEqualTo(-1L);
    assertThat(Files.readString(java.dir().resolve("manifest.yaml"))).isEqualTo(Files.readString(cliDir.resolve("manifest.yaml")));
    Run opened = Run.open(cliDir);
    assertThat(opened.samples().rows()).isDeepEqualTo(java.samples().rows());
    assertThat(opened.metrics().slicedWasserstein()).isEqualTo(java.metrics().slicedWasserstein());
    assertThat(opened.metrics().finalLoss()).isEqualTo(java.metrics().finalLoss());

    // the facade's sample() is the CLI's sample: same folder name, same bytes
    Samples again = java.sample(Sampling.defaults().solver("dpmpp-2m").steps(6));
    TestRuns.Call sample = TestRuns.cli("sample", cliDir.toString(), "--set", "sampling.solver=dpmpp-2m", "--set",
        "sampling.steps=6");
    assertThat(sample.code()).as(sample.err()).isZero();
    Path cliSamples = cliDir.resolve("samples/dpmpp-2m-uniform-6/samples.npy");
    assertThat(again.folder()).isEqualTo(java.dir().resolve("samples/dpmpp-2m-uniform-6"));
    assertThat(Files.mismatch(again.folder().resolve("samples.npy"), cliSamples)).isEqualTo(-1L);

    // a run folder is never written over
    assertThatThrownBy(() -> experiment.run(java.dir())).isInstanceOf(OptionException.class)
        .hasMessageContaining("already holds a run").hasMessageContaining("runReplacing");
  }

  @Test
  void aManifestLoadsIntoTheBuilderAndBackUnchanged() {
    String yaml = small().build().toYaml();
    Experiment.Builder loaded = Experiment.parse(yaml);
    assertThat(loaded.training().values()).containsEntry("steps", 40).containsEntry("batch_size", 64);
    assertThat(loaded.sampling().values()).containsEntry("solver", "heun").containsEntry("n", 300);
    assertThat(loaded.build().toYaml()).isEqualTo(yaml);
    assertThat(small().build().toBuilder().build().toYaml()).isEqualTo(yaml);
  }

  @Test
  void aChangeInTheBuilderIsTheCliOverride() {
    // the example manifest through the builder with one change, against the same manifest with --set
    Path file = Path.of("../examples/manifests/two-moons.yaml");
    Experiment.Builder b = Experiment.load(file);
    String viaBuilder = b.training(b.training().steps(2000)).build().toYaml();
    Map<String, Object> tree = ManifestLoader.read(file);
    ManifestLoader.override(tree, "training.steps=2000");
    PluginRegistry registry = PluginDiscovery.discover((Path) null);
    assertThat(viaBuilder).isEqualTo(ManifestLoader.toYaml(ManifestLoader.resolve(tree, registry).resolved()));
    assertThat(viaBuilder).contains("steps: 2000").contains("width: 256").contains("dir: \"runs/two-moons\"");
  }

  @Test
  void dataFromMemoryIsTheDataOfItsNpyFile(@TempDir Path dir) throws IOException {
    Random random = new Random(3);
    double[][] rows = new double[50][2];
    float[][] floats = new float[50][2];
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < 2; j++) {
        floats[i][j] = (float) random.nextGaussian();
        rows[i][j] = floats[i][j];
      }
    }
    Path npy = Diffuse4j.saveNpy(dir.resolve("rows.npy"), rows);
    double[] fromFile = small().data("npy", Map.of("path", npy.toString())).build().manifest().data().sample(9, 0, 200);
    assertThat(small().data(rows).build().manifest().data().sample(9, 0, 200)).containsExactly(fromFile);
    assertThat(small().data(floats).build().manifest().data().sample(9, 0, 200)).containsExactly(fromFile);
    assertThat(small().data(List.of(rows).iterator()).build().manifest().data().sample(9, 0, 200)).containsExactly(fromFile);

    assertThatThrownBy(() -> small().data(rows).build().toYaml()).isInstanceOf(OptionException.class)
        .hasMessageContaining("Diffuse4j.saveNpy");
    assertThatThrownBy(() -> Diffuse4j.saveNpy(npy, rows)).isInstanceOf(OptionException.class).hasMessageContaining("exists");
    double[][] ragged = {{1, 2}, {3}};
    assertThatThrownBy(() -> small().data(ragged)).isInstanceOf(OptionException.class)
        .hasMessageContaining("row 1 has 1 values but row 0 has 2");
  }

  @Test
  void pluginsGivenAsInstancesAreUsedAsTheyAre() {
    Schedule schedule = small().build().manifest().schedule();
    Experiment withInstance = small().schedule(Plugin.instance("my-flow", schedule)).build();
    assertThat(withInstance.manifest().schedule()).isSameAs(schedule);
    assertThat(withInstance.toYaml()).contains("schedule: \"my-flow\"");
    assertThat(withInstance.toBuilder().build().manifest().schedule()).isSameAs(schedule);
    assertThat(Diffuse4j.plugins().get(org.diffuse4j.api.plugin.Kind.SOLVER)).contains("heun", "dpmpp-2m")
        .doesNotContain("my-flow"); // an instance belongs to its experiment only

    assertThatThrownBy(() -> small().schedule(Plugin.instance("rectified-flow", schedule)).build())
        .isInstanceOf(OptionException.class).hasMessageContaining("duplicate schedule plugin 'rectified-flow'");
    assertThatThrownBy(() -> small().schedule(Plugin.instance("not-a-schedule", "text")).build())
        .isInstanceOf(OptionException.class).hasMessageContaining("not a Schedule");
  }

  @Test
  void badSettingsFailAsTheManifestsWould() {
    assertThatThrownBy(() -> small().network("mlp", Map.of("widht", 3)).build()).isInstanceOf(OptionException.class)
        .hasMessageContaining("network.widht").hasMessageContaining("did you mean 'width'");
    assertThatThrownBy(() -> small().training(Training.defaults().lr(-1)).build()).isInstanceOf(OptionException.class)
        .hasMessageContaining("training.lr");
    assertThatThrownBy(() -> small().sampling(Sampling.defaults().solver("hune")).build())
        .isInstanceOf(OptionException.class).hasMessageContaining("unknown solver 'hune'");
    assertThatThrownBy(() -> Experiment.builder().seed(1).build()).isInstanceOf(OptionException.class)
        .hasMessageContaining("no data");
  }

  @Test
  void aFolderHoldingSomethingElseIsRefusedUntouched(@TempDir Path dir) throws IOException {
    Path mine = Files.writeString(dir.resolve("notes.txt"), "mine");
    assertThatThrownBy(() -> small().build().run(dir)).isInstanceOf(OptionException.class)
        .hasMessageContaining("not a Diffuse4J run folder");
    assertThat(Files.readString(mine)).isEqualTo("mine");
    try (var files = Files.list(dir)) {
      assertThat(files.toList()).containsExactly(mine);
    }
  }
}
