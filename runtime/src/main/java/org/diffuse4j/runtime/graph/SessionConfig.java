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
    return unoptimised(0, 0);
  }

  /**
   * As {@link #unoptimised()} with TensorFlow pools of the session's own: {@code intraOp} threads for
   * the work inside one op (0: one per core) and {@code interOp} threads running ops side by side
   * (0: one per core); both 0 gives {@link #unoptimised()}. For sessions that run side by side in one
   * process (Spark tasks). TensorFlow honours a session's own intra-op pool only when the process was
   * started with {@code TF_OVERRIDE_GLOBAL_THREADPOOL=1} (otherwise the first session's pool is shared
   * by all). The intra-op count can change how a matrix product is split and so its float rounding:
   * keep it at one per core where the bits must match a single process.
   */
  public static ConfigProto unoptimised(int intraOp, int interOp) {
    if (intraOp < 0 || interOp < 0) {
      throw new IllegalArgumentException("thread counts must be >= 0 (0: one per core), got " + intraOp + " and " + interOp);
    }
    ConfigProto.Builder config = ConfigProto.newBuilder()
        .setGraphOptions(GraphOptions.newBuilder()
            .setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true))
            .setOptimizerOptions(OptimizerOptions.newBuilder().setOptLevel(OptimizerOptions.Level.L0)));
    if (intraOp > 0 || interOp > 0) {
      config.setIntraOpParallelismThreads(intraOp).setInterOpParallelismThreads(interOp).setUsePerSessionThreads(true);
    }
    return config.build();
  }
}
