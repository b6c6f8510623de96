package org.diffuse4j.api;

import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.tensor.Tensor;

/**
 * A network and its parameterisation, before a condition is bound: what {@link Guidance} wraps. The
 * runtime implements {@link #predictAll} as one batched network call.
 */
public interface ConditionalDenoiser {

  /** The prediction at (x, p) under condition {@code c}. */
  Prediction predict(Tensor x, PathPoint p, Condition c);

  /** Predictions for several conditions at the same (x, t); one batched call where possible. */
  default List<Prediction> predictAll(Tensor x, PathPoint p, List<Condition> conditions) {
    List<Prediction> out = new ArrayList<>();
    for (Condition c : conditions) {
      out.add(predict(x, p, c));
    }
    return out;
  }

  /** A network composed with a parameterisation. */
  static ConditionalDenoiser of(Network network, Parameterisation param) {
    return (x, p, c) ->
        param.interpret(network.apply(param.networkInput(x, p), param.networkTime(p), c), x, p);
  }
}
