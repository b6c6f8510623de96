package org.diffuse4j.api.model;

import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TType;

/**
 * Where a network's weights come from: new trainable graph variables ({@link #trainable()}), or
 * fixed values ({@link #fixed}), e.g. the weights of another run's checkpoint that autoguidance
 * guides with. A network asks for its weights in one fixed order; fixed values are matched by it.
 */
public interface Weights {

  /**
   * The weight whose initial value is {@code init}; {@code named} carries the op name.
   *
   * @param named the ops scoped with the weight's name
   * @param init the weight's initial value, whose shape the weight takes
   * @return the weight as a tensor: a variable, or a constant for fixed weights
   */
  Tensor create(Ops named, Tensor init);

  /**
   * The variables created so far (empty for fixed weights: nothing to train or save).
   *
   * @return the variables in creation order
   */
  List<Variable<?>> variables();

  /**
   * New graph variables, initialised with {@code init}.
   *
   * @return weights that create a trainable variable per {@link #create} call
   */
  static Weights trainable() {
    return new Weights() {
      private final List<Variable<?>> variables = new ArrayList<>();

      @Override
      @SuppressWarnings({"unchecked", "rawtypes"})
      public Tensor create(Ops named, Tensor init) {
        Variable<?> v = named.variable((Operand<TType>) (Operand) init.op());
        variables.add(v);
        return init.backend().wrap(v);
      }

      @Override
      public List<Variable<?>> variables() {
        return List.copyOf(variables);
      }
    };
  }

  /**
   * The weights of {@code inner} with their initial values replaced by {@code values} (one array per
   * weight in creation order): a run that starts from another run's trained weights.
   *
   * @param values the starting values, one flattened array per weight, in creation order
   * @param inner the weights that receive the replaced initial values (usually trainable)
   * @param source where the values came from, for the error when they do not fit the network
   * @return weights whose {@link #create} fails with an {@code OptionException} when a value array is
   *     missing or of the wrong size
   */
  static Weights startingAt(List<double[]> values, Weights inner, String source) {
    return new Weights() {
      private int next;

      @Override
      public Tensor create(Ops named, Tensor init) {
        long[] shape = init.shape().asArray();
        if (next >= values.size() || values.get(next).length != init.shape().size()) {
          throw new OptionException("the weights in " + source + " do not fit this run's network (weight " + next + " of "
              + values.size() + "); tune a run trained with the same network");
        }
        return inner.create(named, init.backend().constant(values.get(next++), shape));
      }

      @Override
      public List<Variable<?>> variables() {
        return inner.variables();
      }
    };
  }

  /**
   * Graph constants holding {@code values}, one array per weight in creation order; {@code source}
   * names where they came from in the error when the network does not fit them.
   *
   * @param values the fixed values, one flattened array per weight, in creation order
   * @param source where the values came from (e.g. a checkpoint), for error messages
   * @return weights whose {@link #create} returns constants and fails with an {@code OptionException} when
   *     a value array is missing or of the wrong size
   */
  static Weights fixed(List<double[]> values, String source) {
    return new Weights() {
      private int next;

      @Override
      public Tensor create(Ops named, Tensor init) {
        long[] shape = init.shape().asArray();
        long size = init.shape().size();
        if (next >= values.size() || values.get(next).length != size) {
          throw new OptionException("the weights in " + source + " do not fit the network built from its manifest (weight "
              + next + " of " + values.size() + "); was the run's network changed after training?");
        }
        return init.backend().constant(values.get(next++), shape);
      }

      @Override
      public List<Variable<?>> variables() {
        return List.of();
      }
    };
  }
}
