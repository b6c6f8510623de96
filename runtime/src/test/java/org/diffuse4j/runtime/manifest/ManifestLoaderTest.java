package org.diffuse4j.runtime.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.runtime.plugins.PluginDiscovery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strict reading (YAML defects, --set syntax, exact numbers) and the cross-section preflight checks. */
class ManifestLoaderTest {
  static PluginRegistry registry;
  @TempDir Path tmp;

  static final String BASE = """
      data: two-moons
      network: {name: mlp, width: 8, depth: 1, time_embedding: 4}
      training: {steps: 5, batch_size: 8, lr: 0.01}
      sampling: {solver: euler, grid: uniform, steps: 2, n: 8}
      """;

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

  private Path file(byte[] bytes) throws Exception {
    return Files.write(tmp.resolve("m.yaml"), bytes);
  }

  @Test
  void yamlDefectsNameTheFileAndTheLine() throws Exception {
    assertThatThrownBy(() -> ManifestLoader.read(file("data: a\nseed: 1\nseed: 2\n".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(OptionException.class).hasMessageContaining("m.yaml")
        .hasMessageContaining("'seed' is given twice").hasMessageContaining("line 3");
    assertThatThrownBy(() -> ManifestLoader.read(file("data: a\n---\nseed: 2\n".getBytes(StandardCharsets.UTF_8))))
        .hasMessageContaining("several YAML documents").hasMessageContaining("line 3");
    assertThatThrownBy(() -> ManifestLoader.read(file("# only a comment\n".getBytes(StandardCharsets.UTF_8))))
        .hasMessageContaining("m.yaml is empty");
    assertThatThrownBy(() -> ManifestLoader.read(file(new byte[] {'a', ':', ' ', 'b', '\n', 'c', ':', (byte) 0xe9, '\n'})))
        .hasMessageContaining("m.yaml is not UTF-8 text").hasMessageContaining("0xe9 at offset 7 (line 2)");
    // a byte-order mark is UTF-8 text
    byte[] bom = ("\uFEFF" + BASE).getBytes(StandardCharsets.UTF_8);
    assertThat(ManifestLoader.read(file(bom))).containsKey("data");
  }

  @Test
  void setNeedsAKeyPathAndAValue() {
    Map<String, Object> tree = new LinkedHashMap<>();
    for (String bad : List.of("..=1", "=3", "a..b=1", ".a=1", "a.=1", "a b=1", "a[0]=1")) {
      assertThatThrownBy(() -> ManifestLoader.override(tree, bad)).as(bad)
          .isInstanceOf(OptionException.class).hasMessageContaining("--set '" + bad + "'");
    }
    assertThatThrownBy(() -> ManifestLoader.override(tree, "sampling.steps")).hasMessageContaining("has no '='");
    assertThatThrownBy(() -> ManifestLoader.override(tree, "sampling.steps=")).hasMessageContaining("no value");
    assertThatThrownBy(() -> ManifestLoader.override(tree, "network={a: 1, a: 2}")).hasMessageContaining("'a' is given twice");
    ManifestLoader.override(tree, "sampling.grid={name: uniform, t_max: 0.99}");
    ManifestLoader.override(tree, "sampling.steps=20");
    assertThat(tree).isEqualTo(Map.of("sampling", Map.of("grid", Map.of("name", "uniform", "t_max", 0.99), "steps", 20)));
    assertThat(tree.get("sampling")).isInstanceOf(Map.class);
  }

  @Test
  void largeNumbersArriveExactly() {
    assertThatThrownBy(() -> resolve(BASE + "seed: 9223372036854775808\n")).hasMessageContaining("[0, 9223372036854775807]");
    assertThatThrownBy(() -> resolve(BASE + "seed: 1e19\n")).hasMessageContaining("[0, 9223372036854775807]");
    assertThatThrownBy(() -> resolve(BASE, "training.lr=1e309")).hasMessageContaining("too large for a double");
    assertThat(resolve(BASE + "seed: 9223372036854775807\n").seed()).isEqualTo(Long.MAX_VALUE);
    assertThat(resolve(BASE, "training.lr=2.5e-3").training().lr()).isEqualTo(2.5e-3);
    // the resolved manifest keeps plain numbers (what run writes to manifest.yaml and sample reads back)
    assertThat(ManifestLoader.toYaml(resolve(BASE, "training.lr=2.5e-3").resolved())).contains("lr: 0.0025");
  }

  @Test
  void crossSectionChecksRunBeforeAnyWork() {
    assertThatThrownBy(() -> resolve(BASE, "sampling.grid={name: uniform, t_max: 0.2, t_min: 0.5}"))
        .hasMessageContaining("'sampling.grid'").hasMessageContaining("t_max=0.2, t_min=0.5");
    assertThatThrownBy(() -> resolve(BASE, "sampling.grid={name: explicit, times: [1, 0]}"))
        .hasMessageContaining("2 steps need 3 values");
    assertThatThrownBy(() -> resolve(BASE, "sampling.solver=rk45")).hasMessageContaining("eager");
    assertThatThrownBy(() -> resolve(BASE, "guidance=cfg")).hasMessageContaining("network.num_classes: 0");
    assertThatThrownBy(() -> resolve(BASE, "sampling.label=0")).hasMessageContaining("class-conditional network");
    assertThatThrownBy(() -> resolve(BASE, "training.lr=0")).hasMessageContaining("'training.lr'");
    assertThatThrownBy(() -> resolve(BASE, "training.warmup=6")).hasMessageContaining("at most 5");
    assertThatThrownBy(() -> resolve(BASE, "output.dir=''")).hasMessageContaining("'output.dir' is empty");
    // what is fine: warm-up as long as training, no training at all with lr 0, cfg on a conditional network
    assertThat(resolve(BASE, "training.warmup=5").training().warmup()).isEqualTo(5);
    assertThat(resolve(BASE, "training.steps=0", "training.lr=0").training().lr()).isZero();
    assertThat(resolve(BASE, "network.num_classes=2", "guidance=cfg", "sampling.label=1").guidance()).isNotNull();
    // likelihood and encode integrate eagerly: rk45 is fine there
    Map<String, Object> tree = ManifestLoader.parse(BASE, "test");
    ManifestLoader.override(tree, "sampling.solver=rk45");
    assertThat(ManifestLoader.resolve(tree, registry, false).solver().traits().eagerOnly()).isTrue();
  }

  @Test
  void initialNoiseIsCheckedForShapeAndFiniteValues() throws Exception {
    Path ok = tmp.resolve("ok.npy");
    Npy.writeFloat32(ok, new double[16], 8, 2);
    assertThat(Preflight.initNoise(resolve(BASE, "sampling.init=" + ok))).hasSize(16);
    Path nan = tmp.resolve("nan.npy");
    double[] v = new double[16];
    v[2 * 5 + 1] = Double.NaN;
    Npy.writeFloat64(nan, v, 8, 2);
    assertThatThrownBy(() -> resolve(BASE, "sampling.init=" + nan))
        .hasMessageContaining("sampling.init").hasMessageContaining("nan.npy")
        .hasMessageContaining("row 5 (0-based), column 1 is NaN");
    Path few = tmp.resolve("few.npy");
    Npy.writeFloat32(few, new double[8], 4, 2);
    assertThatThrownBy(() -> resolve(BASE, "sampling.init=" + few)).hasMessageContaining("has shape [4, 2], expected [8, 2]");
  }
}
