package org.diffuse4j.runtime.graph;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * Session options for the sampling graph. A solver unrolled over many steps is a large graph, and
 * TensorFlow's graph optimiser (Grappler) spends seconds on its first run while gaining little for
 * ops that are already fused matmuls; the sampling engine therefore turns it off.
 */
public final class SessionConfig {
  private SessionConfig() {}

  /** A config with Grappler and the classic graph optimiser disabled. */
  public static ConfigProto unoptimised() {
    return ConfigProto.newBuilder()
        .setGraphOptions(GraphOptions.newBuilder()
            .setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true))
            .setOptimizerOptions(OptimizerOptions.newBuilder().setOptLevel(OptimizerOptions.Level.L0)))
        .build();
  }
}
