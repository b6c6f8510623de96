package org.diffuse4j.solvers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.KnownNames;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.api.plugin.PluginProvider;
import org.diffuse4j.solvers.exponential.Ddim;
import org.diffuse4j.solvers.exponential.DpmppTwoM;
import org.diffuse4j.solvers.exponential.ExponentialSolversBundle;
import org.diffuse4j.solvers.exponential.LowerOrderFinal;
import org.junit.jupiter.api.Test;

/** Names from k-diffusion, ComfyUI, A1111 and diffusers resolve to our solvers with their options. */
class KnownNamesTest {

  static PluginRegistry registry() {
    PluginRegistry r = new PluginRegistry();
    for (PluginProvider<?> p : new SolversBundle().providers()) {
      r.add(p, "solvers");
    }
    for (PluginProvider<?> p : new ExponentialSolversBundle().providers()) {
      r.add(p, "exponential");
    }
    for (PluginProvider<?> p : new org.diffuse4j.solvers.flowmap.FlowMapSolversBundle().providers()) {
      r.add(p, "flowmap");
    }
    return r;
  }

  @Test
  void everySolverAliasNamesAPluginAndValidOptions() {
    PluginRegistry r = registry();
    int n = 0;
    for (KnownNames.Alias a : KnownNames.all()) {
      if (a.kind() != Kind.SOLVER) {
        continue;
      }
      assertThat(r.entries(Kind.SOLVER)).as(a.qualified()).containsKey(a.target());
      Solver s = r.create(Kind.SOLVER, a.qualified(), "solver");
      assertThat(s).as(a.qualified()).isNotNull();
      n++;
    }
    assertThat(n).isGreaterThan(40);
  }

  @Test
  void aLibrarysNameMeansItsMethod() {
    PluginRegistry r = registry();
    // k-diffusion's euler is DDIM in σ/α, not our t-Euler; the bare name stays ours
    assertThat((Object) r.create(Kind.SOLVER, "k-diffusion:euler", "")).isInstanceOf(Ddim.class);
    assertThat((Object) r.create(Kind.SOLVER, "euler", "")).isInstanceOf(RungeKutta.class);
    // bare names no plugin has resolve; k-diffusion's dpmpp_2m has no lower_order_final
    DpmppTwoM m = r.create(Kind.SOLVER, "dpmpp_2m", "");
    assertThat(m.lowerOrderFinal()).isEqualTo(LowerOrderFinal.OFF);
    // the user's options override the alias'
    DpmppTwoM sde = r.create(Kind.SOLVER, Map.of("name", "dpmpp_2m_sde", "eta", 0.5), "");
    assertThat(sde.eta()).isEqualTo(0.5);
    assertThat((Object) r.create(Kind.SOLVER, "a1111:DPM++ 2M Karras", "")).isInstanceOf(DpmppTwoM.class);
    assertThat(KnownNames.find(Kind.SOLVER, "a1111:DPM++ 2M Karras").grid()).isEqualTo("karras");
    assertThat(KnownNames.of(Kind.SOLVER, "ddim")).extracting(KnownNames.Alias::qualified)
        .contains("k-diffusion:euler", "diffusers:DDIMScheduler");
  }
}
