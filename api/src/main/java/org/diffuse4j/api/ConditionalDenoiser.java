package org.diffuse4j.api;

import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.tensor.Tensor;

/**
 * A network and its parameterisation, before a condition is bound: what {@link Guidance} wraps. The
 * runtime implements {@link #predictAll} as one batched network call.
 */
public interface ConditionalDenoiser {

  /**
   * The prediction at (x, p) under condition {@code c}.
   *
   * @param x the noisy state, shape [B, …]
   * @param p the path coefficients at x's time
   * @param c the condition (class labels, or none for the unconditional model)
   * @return the prediction (x̂0, ε̂) at (x, p) given {@code c}
   */
  Prediction predict(Tensor x, PathPoint p, Condition c);

  /**
   * Predictions for several conditions at the same (x, t); one batched call where possible.
   *
   * @param x the noisy state, shape [B, …]
   * @param p the path coefficients at x's time
   * @param conditions the conditions to predict under
   * @return one prediction per condition, in the order of {@code conditions}
   */
  default List<Prediction> predictAll(Tensor x, PathPoint p, List<Condition> conditions) {
    List<Prediction> out = new ArrayList<>();
    for (Condition c : conditions) {
      out.add(predict(x, p, c));
    }
    return out;
  }

  /**
   * A network composed with a parameterisation.
   *
   * @param network the network (x, t, condition) ↦ raw output
   * @param param the parameterisation that gives the network's inputs and interprets its output
   * @return the conditional denoiser that calls {@code network} once per prediction
   */
  static ConditionalDenoiser of(Network network, Parameterisation param) {
    return (x, p, c) ->
        param.interpret(network.apply(param.networkInput(x, p), param.networkTime(p), c), x, p);
  }
}
