package org.diffuse4j.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Teacher;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.runtime.TestRuns;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.plugins.PluginDiscovery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An objective that needs {@link Objective.Need#INIT} starts from the trained run's weights, not the network's initialisation. */
class InitFromRunTest {
  @TempDir Path tmp;

  static final class Probe implements Objective {
    @Override
    public double sampleTime(Schedule schedule, double u) {
      return 0.1 + 0.8 * u;
    }

    @Override
    public Set<Need> needs() {
      return Set.of(Need.INIT);
    }

    @Override
    public Tensor loss(TrainingBatch b, Network network, Parameterisation param) {
      return network.apply(b.xt(), b.point().t(), b.condition()).square().sumPerSample();
    }
  }

  @Test
  void trainerStartsAtTheRunsEmaWeights() throws Exception {
    String yaml = TestRuns.TINY.replaceAll("training: \\{.*}", "training: {steps: 20, batch_size: 32, ema: 0.9}");
    Path run = tmp.resolve("run");
    assertThat(TestRuns.cli("run", TestRuns.manifest(tmp, yaml).toString(), "--out", run.toString()).code()).isZero();
    PluginRegistry registry = PluginDiscovery.discover((Path) null);
    Teacher teacher = TeacherRun.load(Map.of("run", run.toString(), "solver", "test-euler"), registry, 2);
    List<double[]> expected = TrainedNetwork.load(run, true, registry, "teacher").values();
    Manifest m = ManifestLoader.resolve(ManifestLoader.parse(yaml, "test"), registry);
    Manifest tuned = new Manifest(m.resolved(), m.top(), m.training(), m.sampling(), m.output(), m.data(), m.network(),
        m.schedule(), m.parameterisation(), new Probe(), m.solver(), m.grid(), m.guidance(), teacher);
    Manifest fresh = new Manifest(m.resolved(), m.top(), m.training(), m.sampling(), m.output(), m.data(), m.network(),
        m.schedule(), m.parameterisation(), m.objective(), m.solver(), m.grid(), m.guidance());
    try (Trainer t = new Trainer(tuned, 2); Trainer f = new Trainer(fresh, 2)) {
      for (int i = 0; i < expected.size(); i++) {
        double[] got = t.read(t.variableNames().get(i));
        double[] init = f.read(f.variableNames().get(i));
        double moved = 0;
        for (int j = 0; j < got.length; j++) {
          assertThat(got[j]).isCloseTo(expected.get(i)[j], within(1e-6 * (1 + Math.abs(expected.get(i)[j]))));
          moved = Math.max(moved, Math.abs(init[j] - expected.get(i)[j]));
        }
        assertThat(moved).as("weight %d differs from the network's initialisation", i).isGreaterThan(1e-4);
      }
    }
  }
}
