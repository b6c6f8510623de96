package org.diffuse4j.runtime.train;

import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.tensor.Backend;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;

/**
 * Sampling with the EMA weights of a checkpoint: adds the {@code ema/NAME} copies of a model's
 * variables to a sampling graph (so a restore fills them) and an op that copies them over the
 * weights. Build it before the session, then {@link #apply} after {@link Checkpoint#restore}. The
 * copies are created in the trainer's order (scope {@code ema}, which TensorFlow numbers ema, ema_1,
 * …), so their names match the checkpoint's.
 */
public final class EmaWeights {
  private final Op copy;

  /** Adds the EMA copies of {@code vars} and the copy op to the backend's graph. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public EmaWeights(Backend be, List<Variable<?>> vars) {
    List<Op> assigns = new ArrayList<>();
    for (Variable v : vars) {
      Operand shadow = Updates.slot(be, Updates.emaName(v.op().name()), v);
      assigns.add(be.tf().assign(v, shadow));
    }
    copy = be.tf().withControlDependencies(assigns).noOp();
  }

  /**
   * The EMA copies for sampling from {@code checkpoint}, or null when the weights are used as saved:
   * no checkpoint, nothing trainable, {@code sampling.use_ema: false} or a checkpoint without EMA.
   */
  public static EmaWeights forSampling(org.diffuse4j.runtime.manifest.Manifest manifest, Backend be,
      org.diffuse4j.api.model.Model model, Checkpoint checkpoint) {
    if (checkpoint == null || !checkpoint.exists() || !model.trainable() || !manifest.sampling().use_ema()) {
      return null;
    }
    try {
      return checkpoint.state().ema() ? new EmaWeights(be, model.variables()) : null;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + checkpoint.dir().resolve("state.json"), e);
    }
  }

  /** Overwrites the weights with their EMA copies (call after the checkpoint is restored). */
  public void apply(Session session) {
    session.runner().addTarget(copy).run();
  }
}
