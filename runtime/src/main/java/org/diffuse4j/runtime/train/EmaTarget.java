package org.diffuse4j.runtime.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.model.Model;
import org.diffuse4j.api.model.NetworkFactory;
import org.diffuse4j.api.model.Weights;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Names;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;

/**
 * The EMA target θ⁻ of an objective that asks for one: the model is built with trainable weights
 * that each get a copy at once, initialised to the same value (so θ⁻ = θ before the first step), and
 * the same network is built a second time reading those copies with stopped gradients. With the
 * objective's {@link org.diffuse4j.api.Objective#targetDecay()} below 0 the copies are the run's EMA
 * copies {@code ema/NAME}, which {@link Updates} moves as for any run with {@code training.ema}; with a
 * decay μ in (0, 1) they are the target's own {@code target/NAME}, moved after each optimiser step by
 * θ⁻ ← θ⁻ − (1 − μ)(θ⁻ − θ) ({@link #follow}); with μ = 0 the target reads θ itself, gradients stopped.
 */
final class EmaTarget {
  final Model model;
  final Network target;
  /** The EMA copy of each weight, by weight name. */
  final Map<String, Operand<?>> slots;

  /** The target's own copies and the weights they follow (empty unless its decay is in (0, 1)). */
  private final List<Operand<?>> own;
  private final List<Variable<?>> followed;
  private final double decay;

  EmaTarget(NetworkFactory factory, Backend be, int dim, long seed, java.util.function.UnaryOperator<Weights> start,
      double decay) {
    Shadowed weights = new Shadowed(be, decay < 0 ? "ema/" : decay > 0 ? "target/" : null);
    this.model = factory.build(be, dim, seed, start.apply(weights));
    this.slots = decay < 0 ? weights.slots : Map.of();
    this.own = decay > 0 ? List.copyOf(weights.slots.values()) : List.of();
    this.followed = decay > 0 ? List.copyOf(weights.variables) : List.of();
    this.decay = decay;
    List<Tensor> copies = new ArrayList<>(weights.copies);
    this.target = factory.build(be, dim, seed, new Weights() {
      private int next;

      @Override
      public Tensor create(Ops named, Tensor init) {
        return copies.get(next++).stopGradient();
      }

      @Override
      public List<Variable<?>> variables() {
        return List.of();
      }
    }).network();
  }

  /**
   * The op of a training step: {@code step}, then, for a target with its own decay μ, each copy
   * θ⁻ ← θ⁻ − (1 − μ)(θ⁻ − θ) from the updated weights.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  org.tensorflow.op.Op follow(Backend be, org.tensorflow.op.Op step) {
    if (own.isEmpty()) {
      return step;
    }
    // every op reading θ waits for the step, so the copies follow the updated weights
    Backend after = new Backend(be.tf().withControlDependencies(List.of(step)), be.precision());
    List<org.tensorflow.op.Op> moved = new ArrayList<>();
    for (int i = 0; i < own.size(); i++) {
      Tensor delta = after.wrap(own.get(i)).minus(after.wrap(followed.get(i))).times(1 - decay);
      moved.add(after.tf().assignSub((Operand) own.get(i), (Operand) delta.op()));
    }
    return be.tf().withControlDependencies(moved).noOp();
  }

  /**
   * New trainable variables, each with its copy created next to it from the same initial value in
   * scope {@code prefix} ({@code ema/} or {@code target/}); without a prefix the copy is the variable.
   */
  private static final class Shadowed implements Weights {
    private final Backend be;
    private final String prefix;
    private final List<Variable<?>> variables = new ArrayList<>();
    private final List<Tensor> copies = new ArrayList<>();
    private final Map<String, Operand<?>> slots = new LinkedHashMap<>();

    Shadowed(Backend be, String prefix) {
      this.be = be;
      this.prefix = prefix;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Tensor create(Ops named, Tensor init) {
      Variable<?> v = named.variable((Operand) init.op());
      variables.add(v);
      if (prefix == null) {
        copies.add(be.wrap(v));
        return be.wrap(v);
      }
      Variable<?> e = Names.named(be.tf(), prefix + v.op().name()).variable((Operand) init.op());
      slots.put(v.op().name(), e);
      copies.add(be.wrap(e));
      return be.wrap(v);
    }

    @Override
    public List<Variable<?>> variables() {
      return List.copyOf(variables);
    }
  }
}
