package org.diffuse4j.guidance;

import static org.assertj.core.api.Assertions.assertThat;

import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.Options;
import org.diffuse4j.api.plugin.PluginProvider;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;

class BundleTest {

  @Test
  void everyMethodIsDiscoveredWithDescribableOptions() {
    PluginRegistry reg = PluginRegistry.discover(getClass().getClassLoader());
    assertThat(reg.entries(Kind.GUIDANCE).keySet())
        .containsExactlyInAnyOrder("none", "cfg", "cfg-plus-plus", "rectified-cfg", "apg", "autoguidance",
            "classifier", "dynamic-thresholding", "stack", "distilled");
    for (PluginProvider<?> p : new GuidanceBundle().providers()) {
      assertThat(p.info().kind()).isEqualTo(Kind.GUIDANCE);
      assertThat(p.info().reference()).isNotBlank();
      for (Options.Spec s : Options.describe(p.optionsType())) {
        assertThat(s.name()).matches("[a-z_]+");
        assertThat(s.doc()).isNotBlank();
      }
    }
  }

  @Test
  void methodsWithoutRequiredOptionsBuildFromTheirNameAlone() {
    PluginRegistry reg = PluginRegistry.discover(getClass().getClassLoader());
    for (String name : new String[] {"none", "cfg", "cfg-plus-plus", "rectified-cfg", "apg", "dynamic-thresholding"}) {
      Object g = reg.create(Kind.GUIDANCE, name, "guidance");
      assertThat(g).as(name).isInstanceOf(org.diffuse4j.api.Guidance.class);
    }
  }
}
