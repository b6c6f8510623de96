package org.diffuse4j.runtime.train;

import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Names;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.runtime.manifest.TrainingOptions;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Variable;

/**
 * The ops of one optimiser step, in order: gradients of the loss; optional clipping of all
 * gradients together to a global L2 norm; for AdamW the decoupled decay w ← w − lr·λ·w (Loshchilov
 * &amp; Hutter 2019, with PyTorch's lr·λ convention); the Adam update (TensorFlow's ApplyAdam:
 * lr·√(1−β₂ᵏ)/(1−β₁ᵏ)·m/(√v+ε)); then the EMA e ← e − (1−d)(e − w). The learning rate, β powers
 * and EMA decay are placeholders fed by the {@link Trainer}, so their schedules live in Java.
 * Slots are variables in scopes {@code adam/NAME/m|v} and {@code ema/NAME} (TensorFlow suffixes
 * repeated scopes: adam_1, ema_1, …), so checkpoints carry them. For data-parallel training the
 * update reads fed gradients instead (placeholders {@code gradient_I}: the tasks' mean), and the loss's
 * own gradients are fetched on their own in a run before.
 */
final class Updates {
  static final double BETA1 = 0.9;
  static final double BETA2 = 0.999;
  static final double EPSILON = 1e-8;

  /** Name of the EMA copy of a weight variable. */
  static String emaName(String variable) {
    return "ema/" + variable;
  }

  final Tensor lr;
  final Tensor beta1Power;
  final Tensor beta2Power;
  /** EMA decay of this step (fed 0 on the first step, so the average starts at the first update). */
  final Tensor emaDecay;
  /** Global L2 norm of the gradients before clipping. */
  final Tensor gradNorm;
  /** The gradients the optimiser uses (clipped when clip_norm &gt; 0), one per variable. */
  final List<Tensor> gradients;
  /** The loss's gradients, one per variable (what a data-parallel task sends to be averaged). */
  final List<Tensor> lossGradients;
  /** The placeholders of fed gradients, one per variable; empty unless built with fed gradients. */
  final List<Tensor> fedGradients;
  final Op train;
  /** Graph name of each weight's EMA copy, by weight name (scopes get TF's _N suffixes). */
  final java.util.Map<String, String> emaNames = new java.util.HashMap<>();

  Updates(Backend be, TrainingOptions o, List<Variable<?>> vars, Tensor loss) {
    this(be, o, vars, loss, slots(be, o, vars, java.util.Map.of()), false);
  }

  /**
   * The optimiser's state per weight: Adam's moments m and v and, with {@code training.ema}, the EMA
   * copy ({@code emaSlots} holds copies made already, by weight name). Created before the loss and its
   * gradients are built: TF Java scans every op of the graph each time it opens a name scope, and a
   * slot's name opens one per path level, so creating them after the backward pass made building a
   * U-Net trainer quadratic in its size. The names are unchanged (the same creation order, so the same
   * _N suffixes), so existing checkpoints restore.
   */
  record Slots(List<Operand<?>> m, List<Operand<?>> v, List<Operand<?>> ema) {}

  /** Creates the {@link Slots} of {@code vars}, in the order (m, v, EMA) per weight. */
  static Slots slots(Backend be, TrainingOptions o, List<Variable<?>> vars, java.util.Map<String, Operand<?>> emaSlots) {
    List<Operand<?>> m = new ArrayList<>();
    List<Operand<?>> v = new ArrayList<>();
    List<Operand<?>> ema = new ArrayList<>();
    for (Variable<?> w : vars) {
      String name = w.op().name();
      m.add(slot(be, "adam/" + name + "/m", w));
      v.add(slot(be, "adam/" + name + "/v", w));
      if (o.ema() > 0) {
        ema.add(emaSlots.containsKey(name) ? emaSlots.get(name) : slot(be, emaName(name), w));
      }
    }
    return new Slots(List.copyOf(m), List.copyOf(v), List.copyOf(ema));
  }

  /**
   * As above, with the optimiser's {@link Slots} made before the loss ({@link #slots}), and with
   * {@code fed}: the update reads gradients fed to {@link #fedGradients} rather than the loss's.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  Updates(Backend be, TrainingOptions o, List<Variable<?>> vars, Tensor loss, Slots slots, boolean fed) {
    Ops tf = be.tf();
    lr = be.placeholder("lr");
    beta1Power = be.placeholder("beta1_power");
    beta2Power = be.placeholder("beta2_power");
    emaDecay = be.placeholder("ema_decay");
    Gradients grads = tf.gradients(loss.op(), (Iterable) vars);
    // Every update waits for every gradient and the loss: variables are read by reference, so an
    // update racing a read of the same weight elsewhere in the backward pass would make training
    // nondeterministic.
    List<Op> computed = new ArrayList<>();
    computed.add(loss.op());
    List<Tensor> g = new ArrayList<>();
    List<Tensor> own = new ArrayList<>();
    List<Tensor> placeholders = new ArrayList<>();
    Tensor sumSq = be.scalar(0);
    for (int i = 0; i < vars.size(); i++) {
      computed.add(grads.dy(i));
      own.add(be.wrap(grads.dy(i)));
      if (fed) {
        placeholders.add(be.placeholder("gradient_" + i, vars.get(i).shape().asArray()));
      }
      g.add(fed ? placeholders.get(i) : own.get(i));
      sumSq = sumSq.plus(g.get(i).square().sum());
    }
    gradNorm = sumSq.sqrt();
    if (o.clip_norm() > 0) {
      Tensor scale = gradNorm.max(be.scalar(o.clip_norm())).rdiv(o.clip_norm()); // ≤ 1
      g.replaceAll(x -> x.times(scale));
    }
    gradients = List.copyOf(g);
    lossGradients = List.copyOf(own);
    fedGradients = List.copyOf(placeholders);
    Ops gated = fed ? tf : tf.withControlDependencies(computed); // fed: nothing of the loss runs with the update
    List<Op> done = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      Variable v = vars.get(i);
      String name = v.op().name();
      Ops step = gated;
      if (o.optimizer() == TrainingOptions.Optimizer.ADAMW) {
        Op decay = gated.assignSub(v, (Operand) be.wrap(v).times(lr).times(o.weight_decay()).op());
        step = tf.withControlDependencies(List.of(decay));
      }
      Operand m = slots.m().get(i);
      Operand s = slots.v().get(i);
      Operand updated = step.train.applyAdam(v, m, s, (Operand) beta1Power.op(), (Operand) beta2Power.op(),
          (Operand) lr.op(), (Operand) be.scalar(BETA1).op(), (Operand) be.scalar(BETA2).op(),
          (Operand) be.scalar(EPSILON).op(), (Operand) g.get(i).op());
      if (o.ema() > 0) {
        Operand e = slots.ema().get(i);
        emaNames.put(name, e.op().name());
        Tensor delta = be.wrap(e).minus(be.wrap(updated)).times(emaDecay.rsub(1));
        done.add(tf.assignSub(e, (Operand) delta.op()));
      } else {
        done.add(updated);
      }
    }
    train = tf.withControlDependencies(done).noOp();
  }

  /** A zero-initialised variable shaped like {@code like}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Operand slot(Backend be, String name, Variable<?> like) {
    long size = like.shape().size();
    return Names.named(be.tf(), name).variable((Operand) be.constant(new double[(int) size], like.shape().asArray()).op());
  }
}
