package org.diffuse4j.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.model.ArrayData;
import org.diffuse4j.api.model.DataSet;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.runtime.TestRuns;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.plugins.PluginDiscovery;
import org.junit.jupiter.api.Test;

/** With an objective that wants pairs, the trainer feeds each batch row the noise row paired with its data row. */
class PairedNoiseTest {
  /** Every noise row is its data row shifted by this. */
  private static final double SHIFT = 10;

  /** Loss mean_j (ε − x0 − SHIFT)²: zero exactly when each ε is its own row's pair (the network only keeps the graph trainable). */
  private record Probe(boolean pairedNoise) implements Objective {
    @Override
    public double sampleTime(Schedule schedule, double u) {
      return u;
    }

    @Override
    public Tensor loss(TrainingBatch b, Network network, Parameterisation param) {
      Tensor raw = network.apply(b.x0(), param.networkTime(b.point()), b.condition());
      return b.eps().minus(b.x0()).minus(SHIFT).square().meanPerSample().plus(raw.meanPerSample().times(0));
    }
  }

  private static ArrayData table(boolean withNoise) {
    int rows = 20;
    double[] x = new double[2 * rows];
    double[] e = new double[2 * rows];
    for (int r = 0; r < rows; r++) {
      x[2 * r] = r;
      x[2 * r + 1] = r * r / 10.0;
      e[2 * r] = x[2 * r] + SHIFT;
      e[2 * r + 1] = x[2 * r + 1] + SHIFT;
    }
    return new ArrayData(x, 2, null, withNoise ? e : null, "table");
  }

  private static Manifest manifest(DataSet data, Objective objective) {
    Manifest m = ManifestLoader.resolve(ManifestLoader.parse(TestRuns.TINY + "precision: float64\n", "test"),
        PluginDiscovery.discover((Path) null));
    return new Manifest(m.resolved(), m.top(), m.training(), m.sampling(), m.output(), data, m.network(), m.schedule(),
        m.parameterisation(), objective, m.solver(), m.grid(), m.guidance());
  }

  @Test
  void eachBatchRowGetsTheNoiseRowPairedWithItsDataRow() {
    try (Trainer t = new Trainer(manifest(table(true), new Probe(true)), 2)) {
      for (int k = 0; k < 3; k++) {
        assertThat(t.step(k)).as("step %d", k).isEqualTo(0.0);
      }
    }
    try (Trainer t = new Trainer(manifest(table(false), new Probe(false)), 2)) {
      assertThat(t.step(0)).as("fresh Gaussian noise is not the pair").isGreaterThan(10.0);
    }
  }

  @Test
  void pairingMismatchesFailBeforeTrainingNamingTheFix() {
    assertThatThrownBy(() -> new Trainer(manifest(table(false), new Probe(true)), 2))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("no paired noise rows").hasMessageContaining("diffuse4j reflow").hasMessageContaining("noise: PAIRS/noise.npy");
    assertThatThrownBy(() -> new Trainer(manifest(table(true), new Probe(false)), 2))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("would ignore them").hasMessageContaining("objective: reflow").hasMessageContaining("remove data.noise");
  }
}
