package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How DocumentationCommandsTest reads the docs: blocks, commands, markers and the options they apply. */
class DocBlocksTest {
  private static final List<String> DOC = List.of(
      "Text with `./diffuse4j inline` code.",
      "",
      "<!-- docs-test: \"two-moons.yaml\" --set training.steps=60 --n 5; small -->",
      "<!-- docs-test: skip \"serve\": the viewer needs a browser -->",
      "```bash",
      "./diffuse4j run examples/manifests/two-moons.yaml --set training.steps=5000   # 5 min",
      "# a comment line",
      "./diffuse4j convergence --solver heun,'{name: dpm-solver, order: 3}' \\",
      "    --schedule vp --json",
      "mkdir -p plugins && cp a.jar plugins/",
      "ENV_A=1 ./diffuse4j serve runs",
      "```",
      "```yaml",
      "not: a shell block",
      "```",
      "```console",
      "$ ./diffuse4j plugins",
      "schedule vp ...",
      "```");

  @Test
  void blocksCommandsAndMarkers() {
    List<DocBlocks.Block> blocks = DocBlocks.parse("X.md", DOC);
    assertThat(blocks).hasSize(2);
    DocBlocks.Block b = blocks.get(0);
    assertThat(b.line()).isEqualTo(5);
    assertThat(b.commands()).extracting(DocBlocks.Command::line).containsExactly(6, 8, 10, 10, 11);
    DocBlocks.Command run = b.commands().get(0);
    assertThat(run.words()).containsExactly("./diffuse4j", "run", "examples/manifests/two-moons.yaml", "--set", "training.steps=5000");
    assertThat(b.commands().get(1).words()).containsExactly("./diffuse4j", "convergence", "--solver",
        "heun,{name: dpm-solver, order: 3}", "--schedule", "vp", "--json");
    assertThat(b.commands().get(2).text()).isEqualTo("mkdir -p plugins");
    assertThat(b.commands().get(4).env()).containsEntry("ENV_A", "1");
    assertThat(b.skipped()).isNull();
    assertThat(b.skipped(b.commands().get(4))).isEqualTo("the viewer needs a browser");
    assertThat(b.options(run)).containsExactly("--set", "training.steps=60", "--n", "5");
    assertThat(b.options(b.commands().get(1))).isEmpty();
    assertThat(blocks.get(1).commands()).extracting(DocBlocks.Command::text).containsExactly("./diffuse4j plugins");
  }

  @Test
  void markerOptionsReplaceTheSameOptionOrSettingElseAreAdded() {
    List<String> args = new ArrayList<>(List.of("reflow", "runs/x", "--n", "20000", "--set", "sampling.seed=1", "--set", "training.steps=5000"));
    DocsRunner.applyOptions(args, List.of("--n", "2000", "--set", "training.steps=60", "--set", "network.width=64", "--json"));
    assertThat(args).containsExactly("reflow", "runs/x", "--n", "2000", "--set", "sampling.seed=1", "--set", "training.steps=60",
        "--set", "network.width=64", "--json");
    assertThat(DocsRunner.runKey(List.of("run", "m.yaml", "--set", "b=1", "--out", "o", "--set", "a=2")))
        .isEqualTo(DocsRunner.runKey(List.of("run", "m.yaml", "--set", "a=2", "--set", "b=1")));
    assertThat(DocsRunner.subcommand(List.of("--plugins", "plugins", "plugins"))).isEqualTo("plugins");
  }

  @Test
  void aSkipNeedsAReasonAndUnknownOrStaleMarkersFail() {
    assertThatThrownBy(() -> DocBlocks.directive("X.md:3", "skip:  ")).hasMessageContaining("X.md:3").hasMessageContaining("reason");
    assertThatThrownBy(() -> DocBlocks.directive("X.md:3", "steps 5")).hasMessageContaining("unknown docs-test marker");
    assertThatThrownBy(() -> DocBlocks.parse("X.md", List.of("<!-- docs-test: \"gone.yaml\" --n 5 -->", "```bash", "./diffuse4j plugins", "```")))
        .hasMessageContaining("X.md:2").hasMessageContaining("gone.yaml");
  }
}
