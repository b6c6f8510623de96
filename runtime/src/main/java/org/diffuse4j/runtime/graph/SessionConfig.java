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

  /** A config with Grappler and the classic graph optimiser disabled; TensorFlow's thread pools (one thread per core). */
  public static ConfigProto unoptimised() {
    return unoptimised(0);
  }

  /**
   * As {@link #unoptimised()} with {@code threads} intra-op and inter-op threads of the session's own
   * (0: TensorFlow's process-wide pools, one thread per core). Several sessions running side by side
   * in one process (Spark tasks) each get cores ÷ sessions threads instead of all competing for every core.
   * TensorFlow honours the intra-op count of a session only when the process was started with
   * {@code TF_OVERRIDE_GLOBAL_THREADPOOL=1}; otherwise the first session's pool is shared by all.
   */
  public static ConfigProto unoptimised(int threads) {
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be >= 0 (0: one per core), got " + threads);
    }
    ConfigProto.Builder config = ConfigProto.newBuilder()
        .setGraphOptions(GraphOptions.newBuilder()
            .setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true))
            .setOptimizerOptions(OptimizerOptions.newBuilder().setOptLevel(OptimizerOptions.Level.L0)));
    if (threads > 0) {
      config.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads).setUsePerSessionThreads(true);
    }
    return config.build();
  }
}
