package org.diffuse4j.networks;

import java.util.List;
import java.util.Map;
import org.diffuse4j.api.model.NetworkFactory;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.testkit.NetworkConformance;
import org.junit.jupiter.api.Test;

/**
 * The network kit on the trainable networks of this module, built through the registry as a
 * manifest builds them: the MLP unconditional and with classes, and a small class-conditional U-Net
 * (8×8, two levels, attention at 4×4; its unconditional path is the same graph with the null label). The {@code gmm} network is analytic
 * (nothing to train; its exactness is tested with the mixture).
 */
class NetworkKitTest {
  private static final PluginRegistry REGISTRY = PluginRegistry.discover(NetworkKitTest.class.getClassLoader());

  private static NetworkFactory network(Map<String, Object> spec) {
    return REGISTRY.create(Kind.NETWORK, spec, "network");
  }

  @Test
  void mlp() {
    NetworkConformance.assertConforms(network(Map.of("name", "mlp", "width", 16, "depth", 2)), 3, 0);
    NetworkConformance.assertConforms(network(Map.of("name", "mlp", "width", 16, "depth", 2, "num_classes", 3)), 3, 3);
  }

  @Test
  void unet() {
    Map<String, Object> small = Map.of("name", "unet", "base_channels", 8, "channel_mult", List.of(1, 2), "res_blocks", 1,
        "attention_resolutions", List.of(4), "groups", 4);
    Map<String, Object> conditional = new java.util.HashMap<>(small);
    conditional.put("num_classes", 3);
    NetworkConformance.assertConforms(network(conditional), 64, 3);
  }
}
