package org.diffuse4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.diffuse4j.runtime.TestRuns.Call;
import org.junit.jupiter.api.Test;

/** {@code describe} resolves names from other libraries and lists each plugin's equivalents. */
class DescribeAliasTest {

  @Test
  void anAliasSaysWhatItStandsFor() {
    Call c = TestRuns.cli("describe", "solver", "k-diffusion:euler");
    assertThat(c.code()).isZero();
    assertThat(c.out()).contains("solver 'k-diffusion:euler' is k-diffusion's name for: ddim")
        .contains("our 'euler' integrates in t").contains("solver ddim:");
  }

  @Test
  void aPluginListsItsEquivalents() {
    Call c = TestRuns.cli("describe", "solver", "dpmpp-2m");
    assertThat(c.code()).isZero();
    assertThat(c.out()).contains("same as: k-diffusion:dpmpp_2m").contains("same as: a1111:DPM++ 2M Karras")
        .contains("lower_order_final");
  }

  @Test
  void aBareForeignNameResolves() {
    Call c = TestRuns.cli("describe", "grid", "kl_optimal");
    assertThat(c.code()).isZero();
    assertThat(c.out()).contains("grid kl-optimal:");
  }
}
