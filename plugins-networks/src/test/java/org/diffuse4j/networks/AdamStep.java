package org.diffuse4j.networks;

import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Variable;

/**
 * Test helper: one Adam step (Kingma &amp; Ba 2015; β1 0.9, β2 0.999, ε 1e-8) on a loss, built as the
 * runtime's trainer builds it: tf.gradients, then a raw {@code ApplyAdam} per variable with zero slots,
 * run after the loss and every gradient are computed.
 */
public final class AdamStep {
  private AdamStep() {}

  /** The op that applies the step; {@code lr}, {@code beta1Power} and {@code beta2Power} are scalars (fed or constant). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Op build(Backend be, Tensor loss, List<Variable<?>> vars, Tensor lr, Tensor beta1Power, Tensor beta2Power) {
    Ops tf = be.tf();
    Gradients grads = tf.gradients(loss.op(), (Iterable) vars);
    List<Op> computed = new ArrayList<>(List.of(loss.op()));
    for (int i = 0; i < vars.size(); i++) {
      computed.add(grads.dy(i));
    }
    Ops gated = tf.withControlDependencies(computed);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      Variable v = vars.get(i);
      int size = (int) v.shape().size();
      Operand m = tf.variable((Operand) be.constant(new double[size], v.shape().asArray()).op());
      Operand s = tf.variable((Operand) be.constant(new double[size], v.shape().asArray()).op());
      updates.add(gated.train.applyAdam(v, m, s, (Operand) beta1Power.op(), (Operand) beta2Power.op(), (Operand) lr.op(),
          (Operand) be.scalar(0.9).op(), (Operand) be.scalar(0.999).op(), (Operand) be.scalar(1e-8).op(), (Operand) grads.dy(i)));
    }
    return tf.withControlDependencies(updates).noOp();
  }
}
