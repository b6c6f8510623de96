package org.diffuse4j.runtime.train;

import java.util.List;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.LearnedWeight;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.model.Weights;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;

/**
 * The learned log-variance u_φ of {@link LearnedWeight}, as EDM2 builds it (Karras et al. 2024,
 * App. B.2): Fourier features √2·cos(2π(f_i c + φ_i)) of c = ln(σ/α)/4, with fixed f_i ~ N(0, 1)
 * and φ_i ~ U(0, 1), then one linear layer to a value. Its weights start at zero, so u = 0 and the
 * loss is the plain one at the first step. Variables {@code weighting/w} and {@code weighting/b}.
 */
final class LogVarianceNetwork implements LearnedWeight {
  /** Fourier features (EDM2's 128). */
  static final int FEATURES = 128;

  /** Counter-noise stream of the fixed frequencies and phases. */
  private static final long STREAM = 0x10a7;

  private final Tensor frequencies;
  private final Tensor phases;
  private final Tensor w;
  private final Tensor b;
  private final List<Variable<?>> variables;

  LogVarianceNetwork(Backend be, long seed) {
    double[] f = new double[FEATURES];
    double[] phi = new double[FEATURES];
    for (int i = 0; i < FEATURES; i++) {
      f[i] = CounterNoise.gaussian(seed, 0, STREAM, i);
      phi[i] = CounterNoise.uniform(seed, 1, STREAM, i);
    }
    frequencies = be.constant(f, 1, FEATURES);
    phases = be.constant(phi, 1, FEATURES);
    Weights weights = Weights.trainable();
    Ops scope = be.tf().withSubScope("weighting");
    w = weights.create(scope.withName("w"), be.constant(new double[FEATURES], FEATURES, 1));
    b = weights.create(scope.withName("b"), be.constant(new double[1], 1, 1));
    variables = weights.variables();
  }

  /** φ: the linear layer's weights and bias. */
  List<Variable<?>> variables() {
    return variables;
  }

  @Override
  public Tensor logVariance(PathPoint p) {
    Tensor c = p.sigma().div(p.alpha()).log().times(0.25).reshape(-1, 1);
    Tensor features = c.matmul(frequencies).plus(phases).times(2 * Math.PI).cos().times(Math.sqrt(2));
    return features.matmul(w).plus(b).reshape(-1);
  }
}
