package org.diffuse4j.solvers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;

class SolversBundleTest {

  final PluginRegistry registry = PluginRegistry.discover(getClass().getClassLoader());

  @Test
  void everySolverIsDiscoveredAndBuildsFromDefaults() {
    for (String name : new String[] {"euler", "midpoint", "heun", "ralston", "rk3", "rk4", "dopri5",
        "rk45", "euler-maruyama", "ddpm", "euler-ancestral", "edm-stochastic", "pc"}) {
      Object s = registry.create(Kind.SOLVER, name, "sampling.solver");
      assertThat(s).as(name).isInstanceOf(Solver.class);
    }
    Solver heun = registry.create(Kind.SOLVER, "heun", "");
    assertThat(heun.traits().order()).isEqualTo(2);
    assertThat(heun.traits().evaluationsPerStep()).isEqualTo(2);
    EdmStochastic edm = registry.create(Kind.SOLVER, Map.of("name", "edm-stochastic", "s_churn", 10), "");
    assertThat(edm.sChurn()).isEqualTo(10);
  }

  @Test
  void badOptionsAreRejectedWithTheKey() {
    assertThatThrownBy(() -> registry.create(Kind.SOLVER, Map.of("name", "euler-ancestral", "eta", -1), "sampling.solver"))
        .isInstanceOf(OptionException.class).hasMessageContaining("sampling.solver.eta").hasMessageContaining("out of range");
    assertThatThrownBy(() -> registry.create(Kind.SOLVER, Map.of("name", "pc", "snr_", 0.1), "s"))
        .isInstanceOf(OptionException.class).hasMessageContaining("did you mean 'snr'");
  }
}
