package org.diffuse4j.networks;

import org.diffuse4j.api.tensor.Tensor;

/** Hidden-layer nonlinearity of the {@link Mlp}. */
public enum Activation {
  SILU,
  TANH,
  RELU;

  /** Applies the nonlinearity. */
  public Tensor apply(Tensor x) {
    return switch (this) {
      case SILU -> x.silu();
      case TANH -> x.tanh();
      case RELU -> x.max(x.zerosLike());
    };
  }
}
