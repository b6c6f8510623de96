package org.diffuse4j.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.api.model.Model;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.runtime.TestRuns;
import org.diffuse4j.runtime.graph.SessionConfig;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.plugins.PluginDiscovery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/** The {@code checkpoint} network: a trained run's network with its weights as graph constants. */
class TrainedNetworkTest {
  @TempDir static Path tmp;
  static Path run;
  static PluginRegistry registry;
  static final double[] X = {0.3, -0.2, 1.1, 0.4, -0.7, 0.9};

  @BeforeAll
  static void train() throws Exception {
    run = tmp.resolve("run");
    Path m = TestRuns.manifest(tmp, TestRuns.TINY.replace("steps: 30,", "steps: 30, ema: 0.9,"));
    assertThat(TestRuns.cli("run", m.toString(), "--out", run.toString()).code()).isZero();
    registry = PluginDiscovery.discover((Path) null);
  }

  /** The run's network evaluated the way sampling restores it: Session.restore, then the EMA copy op. */
  static double[] restored(boolean ema) throws Exception {
    Manifest m = ManifestLoader.resolve(ManifestLoader.read(run.resolve("manifest.yaml")), registry);
    try (Graph g = new Graph()) {
      Backend be = new Backend(Ops.create(g), Precision.FLOAT32);
      Model model = m.network().build(be, 2, m.seed());
      EmaWeights copies = ema ? new EmaWeights(be, model.variables()) : null;
      Tensor out = model.network().apply(be.constant(X, 3, 2), be.scalar(0.4), Condition.none());
      try (Session s = new Session(g, SessionConfig.unoptimised())) {
        new Checkpoint(run).restore(s);
        if (copies != null) {
          copies.apply(s);
        }
        try (Result r = s.runner().fetch(out.op()).run()) {
          return Feeds.values(r.get(0));
        }
      }
    }
  }

  static double[] fixed(Network net) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend be = new Backend(Ops.create(g), Precision.FLOAT32);
      Tensor out = net.apply(be.constant(X, 3, 2), be.scalar(0.4), Condition.none());
      try (Result r = s.runner().fetch(out.op()).run()) {
        return Feeds.values(r.get(0));
      }
    }
  }

  static Network checkpoint(Object run, boolean ema) {
    return registry.create(Kind.NETWORK, Map.of("name", "checkpoint", "run", run.toString(), "use_ema", ema), "test");
  }

  @Test
  void givesTheRestoredNetworkWithEmaWeightsByDefaultAndRawWeightsOnRequest() throws Exception {
    double[] ema = restored(true);
    double[] raw = restored(false);
    double gap = 0;
    for (int i = 0; i < ema.length; i++) {
      gap = Math.max(gap, Math.abs(ema[i] - raw[i]));
    }
    assertThat(gap).as("EMA and raw weights differ after 30 steps").isGreaterThan(1e-3);
    assertThat(fixed(checkpoint(run, true))).containsExactly(ema, within(1e-6));
    assertThat(fixed(checkpoint(run, false))).containsExactly(raw, within(1e-6));
  }

  @Test
  void autoguidanceWithTheModelItselfAsTheWeakModelSamplesTheModel() throws Exception {
    // D_weak + w (D − D_weak) = D when D_weak = D: the guided samples equal the unguided ones.
    Path plain = tmp.resolve("plain");
    Path guided = tmp.resolve("guided");
    for (Path dir : new Path[] {plain, guided}) {
      Files.createDirectories(dir);
      Files.copy(run.resolve("manifest.yaml"), dir.resolve("manifest.yaml"));
      Files.createSymbolicLink(dir.resolve("checkpoint"), run.resolve("checkpoint"));
    }
    assertThat(TestRuns.cli("sample", plain.toString(), "--name", "s").code()).isZero();
    TestRuns.Call g = TestRuns.cli("sample", guided.toString(), "--name", "s", "--set",
        "guidance={name: autoguidance, scale: 3, weak_model: {name: checkpoint, run: " + run + "}, weak_parameterisation: velocity}");
    assertThat(g.code()).as(g.err()).isZero();
    assertThat(g.out()).contains("NFE 16");
    double[] a = Npy.read(plain.resolve("samples/s/samples.npy")).data();
    double[] b = Npy.read(guided.resolve("samples/s/samples.npy")).data();
    assertThat(b).containsExactly(a, within(1e-4));
  }

  @Test
  void aFolderThatIsNotATrainedRunIsRejectedWithTheFix() {
    assertThatThrownBy(() -> checkpoint(tmp.resolve("nowhere"), true))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("is not a trained run folder")
        .hasMessageContaining("./diffuse4j run MANIFEST");
  }

  @Test
  void aRunWhoseManifestNoLongerFitsItsCheckpointIsRejected() throws Exception {
    Path changed = tmp.resolve("changed");
    Files.createDirectories(changed);
    Files.writeString(changed.resolve("manifest.yaml"),
        Files.readString(run.resolve("manifest.yaml")).replace("width: 32", "width: 16"));
    Files.createSymbolicLink(changed.resolve("checkpoint"), run.resolve("checkpoint"));
    assertThatThrownBy(() -> checkpoint(changed, true))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("does not fit");
  }

  @Test
  void aDamagedCheckpointIsNamedAndNotLoaded() throws Exception {
    Path damaged = tmp.resolve("damaged");
    Files.createDirectories(damaged.resolve("checkpoint"));
    Files.copy(run.resolve("manifest.yaml"), damaged.resolve("manifest.yaml"));
    try (var files = Files.list(run.resolve("checkpoint"))) {
      for (Path f : files.toList()) {
        Files.copy(f, damaged.resolve("checkpoint").resolve(f.getFileName()));
      }
    }
    Path data = damaged.resolve("checkpoint/variables.data-00000-of-00001");
    byte[] b = Files.readAllBytes(data);
    b[b.length / 3] ^= 0x10;
    Files.write(data, b);
    assertThatThrownBy(() -> checkpoint(damaged, true))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("is damaged")
        .hasMessageContaining(data.toString())
        .hasMessageContaining("SHA-256");
  }
}
