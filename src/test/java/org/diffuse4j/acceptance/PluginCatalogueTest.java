package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every plugin jar of the build is discovered, with metadata, and describable. */
class PluginCatalogueTest {

  @Test
  void everyKindHasPluginsWithMetadata() throws Exception {
    Cli c = Cli.run("plugins", "--json");
    assertThat(c.code()).as(c.err()).isZero();
    Set<String> kinds = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (JsonNode p : new ObjectMapper().readTree(c.out())) {
      kinds.add(p.get("kind").asText());
      names.add(p.get("kind").asText() + "/" + p.get("name").asText());
      assertThat(p.get("description").asText()).isNotBlank();
      assertThat(p.get("source").asText()).isNotBlank();
    }
    assertThat(kinds).contains("schedule", "grid", "parameterisation", "objective", "solver", "guidance", "network", "data");
    assertThat(names).contains("schedule/vp", "schedule/rectified-flow", "parameterisation/velocity", "parameterisation/eps",
        "objective/flow-matching", "objective/denoising", "solver/euler", "solver/heun", "grid/uniform", "guidance/none");
  }

  @Test
  void describeShowsOptionsWithDefaults() {
    Cli c = Cli.run("describe", "schedule", "vp");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(c.out()).contains("beta_min", "0.1", "beta_max", "20");
    Cli bad = Cli.run("describe", "solver", "eulr");
    assertThat(bad.code()).isNotZero();
    assertThat(bad.err()).contains("did you mean 'euler'");
  }
}
