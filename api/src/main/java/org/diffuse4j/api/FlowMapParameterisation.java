package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * What a two-time network's raw output means (CTM's g_θ, MeanFlow's h_θ, a consistency model's
 * F_θ): turns it into the jump G(x, s, t) with the boundary G(x, s, s) = x built in for any
 * weights, and back ({@link #target}: the raw output that makes G equal a given end point, the
 * regression target of distillation). The flow-map counterpart of {@link Parameterisation}. At
 * t = s a flow map is an ordinary model ({@link #instantaneous}): {@link #diagonal()} is that model
 * as a {@link Parameterisation}, so ordinary solvers, guidance and likelihoods run on a flow-map run.
 */
public interface FlowMapParameterisation {

  /**
   * The tensor fed to the network as x; x itself by default.
   *
   * @param x the state at time s, shape [B, …]
   * @param s the path point of the start time
   * @return the network's input for {@code x} (for example x scaled by a c_in(s)), shape of {@code x}
   */
  default Tensor networkInput(Tensor x, PathPoint s) {
    return x;
  }

  /**
   * The time label fed to the network for a time; t itself by default.
   *
   * @param p the path point of the time
   * @return the network's time input for {@code p} (for example t or a function of σ/α)
   */
  default Tensor networkTime(PathPoint p) {
    return p.t();
  }

  /**
   * G(x, s, t) from the raw output of the network at (x, s, t).
   *
   * @param raw the network's raw output at (x, s, t), shape of {@code x}
   * @param x the state at time s, shape [B, …]
   * @param s the path point of the start time
   * @param t the path point of the end time
   * @return the jump G(x, s, t), shape of {@code x}; equal to x when t = s
   */
  Tensor jump(Tensor raw, Tensor x, PathPoint s, PathPoint t);

  /**
   * The raw output whose {@link #jump} is {@code end}: the inverse of {@link #jump} in its raw
   * argument. Defined for t ≠ s only (at t = s every raw output gives x).
   *
   * @param end the wanted end point at time t, shape of {@code x}
   * @param x the state at time s, shape [B, …]
   * @param s the path point of the start time
   * @param t the path point of the end time, t ≠ s
   * @return the raw output r with {@code jump(r, x, s, t)} = {@code end}, shape of {@code x}
   */
  Tensor target(Tensor end, Tensor x, PathPoint s, PathPoint t);

  /**
   * The flow map of a raw two-time network, with the condition bound.
   *
   * @param network the two-time network whose raw output this parameterisation interprets
   * @param condition the condition passed to every network call
   * @return the flow map G(x, s, t) of {@code network} under this parameterisation
   */
  default FlowMap flowMap(FlowMapNetwork network, Condition condition) {
    return (x, s, t) -> jump(network.jump(networkInput(x, s), networkTime(s), networkTime(t), condition), x, s, t);
  }

  /**
   * The average velocity u = (G(x, s, t) − x)/(t − s) of the jump (MeanFlow's u, seed 001 L200).
   * The default divides, so it is undefined at t = s; a form that stays defined there overrides it
   * (MeanFlow's u = h, CTM's u = (x − g)/s).
   *
   * @param raw the network's raw output at (x, s, t), shape of {@code x}
   * @param x the state at time s, shape [B, …]
   * @param s the path point of the start time
   * @param t the path point of the end time
   * @return u(x, s, t), shape of {@code x}
   */
  default Tensor averageVelocity(Tensor raw, Tensor x, PathPoint s, PathPoint t) {
    return jump(raw, x, s, t).minus(x).div(t.t().minus(s.t()));
  }

  /**
   * What the flow map predicts at t = s, the limit of an infinitesimal jump: the velocity
   * u(x, s, s) = v(x, s) by default (the raw output is that of the network at (x, s, s)).
   *
   * @param raw the network's raw output at (x, s, s), shape of {@code x}
   * @param x the state at time s, shape [B, …]
   * @param s the path point of the time
   * @return the prediction (x̂0, ε̂) of the model at (x, s)
   */
  default Prediction instantaneous(Tensor raw, Tensor x, PathPoint s) {
    return Prediction.fromVelocity(x, s, averageVelocity(raw, x, s, s));
  }

  /**
   * The flow-map model at t = s as an ordinary {@link Parameterisation}, network fed (s, s).
   *
   * @return the diagonal view of this parameterisation
   */
  default Parameterisation diagonal() {
    return new Diagonal(this);
  }

  /**
   * A flow-map parameterisation on its diagonal t = s: the network reads the time pair (s, s) and
   * its output means {@link FlowMapParameterisation#instantaneous}. Training targets are not defined
   * here (a flow map is trained by a flow-map objective such as MeanFlow).
   *
   * @param flowMap the flow-map parameterisation viewed on its diagonal
   */
  record Diagonal(FlowMapParameterisation flowMap) implements Parameterisation {

    @Override
    public Tensor networkInput(Tensor x, PathPoint p) {
      return flowMap.networkInput(x, p);
    }

    @Override
    public Tensor networkTime(PathPoint p) {
      Tensor label = flowMap.networkTime(p);
      return FlowMapNetwork.times(label, label);
    }

    @Override
    public Prediction interpret(Tensor raw, Tensor x, PathPoint p) {
      return flowMap.instantaneous(raw, x, p);
    }

    @Override
    public Tensor target(Tensor x0, Tensor eps, Tensor xt, PathPoint p) {
      throw new UnsupportedOperationException("a flow-map parameterisation has no one-time regression target; train it "
          + "with a flow-map objective (meanflow, ctm)");
    }
  }
}
