package org.diffuse4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.diffuse4j.runtime.TestRuns.Call;
import org.junit.jupiter.api.Test;

/** {@code describe} lists the options that reproduce the reference codes (docs/solvers.md, "Reproducing the reference codes"). */
class DescribeReferenceFormsTest {

  @Test
  void dpmSolverShowsItsReferenceOptions() {
    Call c = TestRuns.cli("describe", "solver", "dpm-solver");
    assertThat(c.code()).isZero();
    assertThat(c.out()).contains("prediction").contains("noise|data").contains("solver_type").contains("dpmsolver|taylor")
        .contains("r1").contains("r2").contains("budget").contains("false|true|fixed").contains("singlestep_fixed");
  }

  @Test
  void theRemainingReferenceOptionsAreListed() {
    assertThat(TestRuns.cli("describe", "solver", "dpmpp-2m").out()).contains("solver_type").contains("dpmsolver|taylor");
    assertThat(TestRuns.cli("describe", "solver", "unipc").out()).contains("denoise_to_zero");
    assertThat(TestRuns.cli("describe", "solver", "heunpp2").out()).contains("s_churn").contains("s_tmin").contains("s_tmax")
        .contains("s_noise");
    assertThat(TestRuns.cli("describe", "solver", "sa-solver").out()).contains("use_pece").contains("simple_order_2");
  }

  @Test
  void multistepMethodsShowCompat() {
    assertThat(TestRuns.cli("describe", "solver", "dpmpp-3m").out()).contains("compat").contains("k-diffusion");
    assertThat(TestRuns.cli("describe", "solver", "dpm-solver-multistep").out()).contains("compat").contains("solver_type");
  }

  @Test
  void unipcShowsVaryCoeffNoisePredictionAndItsOwnRule() {
    Call c = TestRuns.cli("describe", "solver", "unipc");
    assertThat(c.code()).isZero();
    assertThat(c.out()).contains("vary-coeff").contains("true|false|always").contains("noise|data");
  }
}
