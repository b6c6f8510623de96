package org.diffuse4j.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.runtime.TestRuns;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.plugins.PluginDiscovery;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;

/**
 * The trainer's variable names are what checkpoints are restored by, so they must not change between
 * versions: the optimiser's slots are now created before the loss graph (a 7× faster build of the
 * Fashion-MNIST U-Net trainer), with the same names as when they were created after it, TF's _N
 * suffixes included. The expected names are those of checkpoints written before that change.
 */
class SlotNamesTest {

  @Test
  void optimiserAndEmaSlotsKeepTheirCheckpointNames() throws Exception {
    String yaml = TestRuns.TINY.replaceAll("training: \\{.*}", "training: {steps: 3, batch_size: 16, ema: 0.99}");
    Manifest m = ManifestLoader.resolve(ManifestLoader.parse(yaml, "test"), PluginDiscovery.discover((Path) null));
    try (Trainer t = new Trainer(m, 2)) {
      var field = Trainer.class.getDeclaredField("graph");
      field.setAccessible(true);
      List<String> names = new ArrayList<>();
      ((Graph) field.get(t)).operations().forEachRemaining(o -> {
        if (o.type().startsWith("Variable")) {
          names.add(o.name());
        }
      });
      assertThat(names).contains("mlp/layer0/w", "mlp_1/layer0/b",
          "adam/mlp/layer0/w/m", "adam_1/mlp/layer0/w/v", "ema/mlp/layer0/w",
          "adam_2/mlp_1/layer0/b/m", "adam_3/mlp_1/layer0/b/v", "ema_1/mlp_1/layer0/b");
    }
  }
}
