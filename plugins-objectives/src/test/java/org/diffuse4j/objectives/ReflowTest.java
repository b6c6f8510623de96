package org.diffuse4j.objectives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.schedules.RectifiedFlow;
import org.diffuse4j.schedules.VelocityParameterisation;
import org.junit.jupiter.api.Test;

/** {@code reflow} asks for the data set's noise rows and regresses on the straight path between each pair. */
class ReflowTest {
  private final PluginRegistry registry = PluginRegistry.discover(getClass().getClassLoader());

  @Test
  void onlyReflowAsksForPairedNoise() {
    assertThat(registry.<Objective>create(Kind.OBJECTIVE, "reflow", "objective").pairedNoise()).isTrue();
    assertThat(registry.<Objective>create(Kind.OBJECTIVE, Map.of("name", "reflow", "sigma_min", 0.01), "objective")
        .pairedNoise()).isTrue();
    for (String name : registry.entries(Kind.OBJECTIVE).keySet()) {
      if (!name.equals("reflow")) {
        assertThat(registry.<Objective>create(Kind.OBJECTIVE, name, "objective").pairedNoise()).as(name).isFalse();
      }
    }
  }

  @Test
  void reflowLossIsTheStraightPathRegressionOnEachGivenPair() {
    Objective obj = registry.create(Kind.OBJECTIVE, "reflow", "objective");
    RectifiedFlow rf = new RectifiedFlow();
    try (Harness h = new Harness(new double[] {0.1, 0.3, 0.5, 0.7, 0.9})) {
      TrainingBatch batch = h.batch(rf, t -> obj.weight(rf, t), Condition.none());
      double[] got = h.run(obj.loss(batch, h.network(), new VelocityParameterisation()));
      for (int i = 0; i < Harness.B; i++) {
        double t = h.t[i];
        double[] x = new double[Harness.D];
        double[] v = new double[Harness.D];
        for (int j = 0; j < Harness.D; j++) {
          // Liu et al. 2022, eq. 1 with t reversed: X_t = (1 − t) X_0 + t X_1, target X_1 − X_0
          x[j] = (1 - t) * h.x0[i][j] + t * h.eps[i][j];
          v[j] = h.eps[i][j] - h.x0[i][j];
        }
        assertThat(got[i]).as("example %d", i).isCloseTo(Harness.mse(h.net(x, t), v), within(1e-12));
      }
    }
  }
}
