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
 * that each get their EMA copy {@code ema/NAME} at once, initialised to the same value (so θ⁻ = θ
 * before the first step), and the same network is built a second time reading those copies with
 * stopped gradients. {@link Updates} then moves the copies as for any run with {@code training.ema}.
 */
final class EmaTarget {
  final Model model;
  final Network target;
  /** The EMA copy of each weight, by weight name. */
  final Map<String, Operand<?>> slots;

  EmaTarget(NetworkFactory factory, Backend be, int dim, long seed, java.util.function.UnaryOperator<Weights> start) {
    Shadowed weights = new Shadowed(be);
    this.model = factory.build(be, dim, seed, start.apply(weights));
    this.slots = weights.slots;
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

  /** New trainable variables, each with its EMA copy created next to it from the same initial value. */
  private static final class Shadowed implements Weights {
    private final Backend be;
    private final List<Variable<?>> variables = new ArrayList<>();
    private final List<Tensor> copies = new ArrayList<>();
    private final Map<String, Operand<?>> slots = new LinkedHashMap<>();

    Shadowed(Backend be) {
      this.be = be;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Tensor create(Ops named, Tensor init) {
      Variable<?> v = named.variable((Operand) init.op());
      variables.add(v);
      Variable<?> e = Names.named(be.tf(), Updates.emaName(v.op().name())).variable((Operand) init.op());
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
