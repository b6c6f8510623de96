package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * A two-time network (x, s, t, condition) ↦ a tensor of x's shape, the network of consistency
 * models, CTM and MeanFlow (seed 001 §J–M). It may be the flow map x_s ↦ x_t itself; composed with
 * a {@link FlowMapParameterisation} (CTM, MeanFlow, consistency) its output is the raw g_θ, h_θ or
 * F_θ and the parameterisation builds the jump, boundary G(x, s, s) = x included. A network plugin
 * that reads two times ({@link org.diffuse4j.api.model.NetworkFactory#times()} = 2) is an ordinary
 * {@link Network} whose time label is the pair (s, t), {@link #times}; {@link #of} views it as this.
 */
@FunctionalInterface
public interface FlowMapNetwork {
  /**
   * The output at state {@code x}, times s and t (scalars or per-sample columns) and the condition.
   *
   * @param x the network's input state, shape [B, …]
   * @param s the start-time label, a scalar or a [B, 1] column
   * @param t the end-time label, a scalar or a [B, 1] column
   * @param condition the condition (class labels or none)
   * @return the network's output, shape of {@code x}
   */
  Tensor jump(Tensor x, Tensor s, Tensor t, Condition condition);

  /**
   * The two-time view of a network whose time label is the pair (s, t) of {@link #times}.
   *
   * @param network a network that reads two times (e.g. {@code mlp} with {@code times: 2})
   * @return the network as (x, s, t, condition) ↦ network(x, (s, t), condition)
   */
  static FlowMapNetwork of(Network network) {
    return (x, s, t, condition) -> network.apply(x, times(s, t), condition);
  }

  /**
   * The time label of a two-time network: the columns s and t side by side, shape [B, 2] ([1, 2]
   * when both are scalars; a scalar is broadcast against the other's column).
   *
   * @param s the start time label, a scalar or a [B, 1] column
   * @param t the end time label, a scalar or a [B, 1] column
   * @return the pair (s, t) as a [B, 2] (or [1, 2]) tensor
   */
  static Tensor times(Tensor s, Tensor t) {
    Tensor sc = s.reshape(-1, 1);
    Tensor tc = t.reshape(-1, 1);
    return sc.plus(tc.zerosLike()).concat(1, tc.plus(sc.zerosLike()));
  }

  /**
   * Refuses a time label that is not the pair of {@link #times} (its last axis must be 2), for a
   * network plugin that reads two times.
   *
   * @param label the network's time label
   * @param network the network plugin's name, for the message
   * @throws IllegalArgumentException if {@code label} is a scalar or its last axis is not 2
   */
  static void requirePair(Tensor label, String network) {
    long[] shape = label.shape().asArray();
    if (shape.length == 0 || shape[shape.length - 1] != 2) {
      throw new IllegalArgumentException("this " + network + " reads two times (times: 2): its time label must be the "
          + "pair (s, t) of FlowMapNetwork.times, shape [B, 2], not " + label.shape() + "; give it a flow-map "
          + "parameterisation (meanflow, ctm) or set times: 1");
    }
  }

  /**
   * The columns a two-time network embeds: the start s and the gap s − t of pairs (s, t).
   *
   * @param pairs the pairs (s, t), shape [B, 2]
   * @return {s, s − t}, two [B, 1] columns
   */
  static Tensor[] startAndGap(Tensor pairs) {
    return new Tensor[] {pairs.matmul(pairs.backend().constant(new double[] {1, 0}, 2, 1)),
        pairs.matmul(pairs.backend().constant(new double[] {1, -1}, 2, 1))};
  }
}
