package org.diffuse4j.runtime.likelihood;

import java.util.List;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.op.Ops;

/**
 * The probability-flow ODE augmented with its divergence (instantaneous change of variables,
 * Chen et al. 2018; seed 003 eq. 17/54): the state is z = [x, ℓ_1 … ℓ_K] (shape [B, d + K]) and
 * dz/dt = [v(x, t), ∇·v(x, t) estimated with probe 1 … K]. The solver only needs a
 * {@link Prediction} whose velocity is that field: for a velocity u at state z the pair
 * x̂0 = (σ̇ z − σ u)/D, ε̂ = (α u − α̇ z)/D with D = α σ̇ − σ α̇ gives α̇ x̂0 + σ̇ ε̂ = u exactly
 * (the {@code velocity} parameterisation's interpretation), so every ODE solver integrates the
 * augmented state unchanged.
 *
 * <p>The divergence uses probes z_k: ∇·v ≈ z_kᵀ (∂v/∂x) z_k, one reverse-mode gradient of
 * Σ_b v_b·z_k,b per probe (rows are independent, so this is each row's vector–Jacobian product).
 * With the d unit vectors as probes this is the exact trace; with random Gaussian or Rademacher
 * probes (E[z zᵀ] = I) it is Hutchinson's unbiased estimator (Grathwohl et al. 2019, FFJORD).
 */
final class AugmentedDenoiser implements Denoiser {
  private final Denoiser model;
  private final int dim;
  private final List<Tensor> probes;
  private final boolean exact;

  /**
   * @param model the data-space model
   * @param dim the data dimension d
   * @param probes the Hutchinson probes, each [B, d] (fixed along the trajectory); empty for exact
   */
  AugmentedDenoiser(Denoiser model, int dim, List<Tensor> probes) {
    this.model = model;
    this.dim = dim;
    this.probes = List.copyOf(probes);
    this.exact = probes.isEmpty();
  }

  /** Number of ℓ channels: 1 for the exact divergence, K for K probes. */
  int channels() {
    return exact ? 1 : probes.size();
  }

  @Override
  public Prediction predict(Tensor z, PathPoint p) {
    Tensor x = columns(z, 0, dim);
    Tensor v = model.predict(x, p).velocity();
    Tensor[] divergences = new Tensor[channels()];
    if (exact) {
      Tensor trace = null;
      for (int i = 0; i < dim; i++) {
        Tensor term = quadraticForm(v, x, unit(x, i));
        trace = trace == null ? term : trace.plus(term);
      }
      divergences[0] = trace.reshape(-1, 1);
    } else {
      for (int k = 0; k < probes.size(); k++) {
        divergences[k] = quadraticForm(v, x, probes.get(k)).reshape(-1, 1);
      }
    }
    Tensor u = v.concat(1, divergences);
    Tensor d = p.d();
    Tensor x0 = z.times(p.sigmaDot()).minus(u.times(p.sigma())).div(d);
    Tensor eps = u.times(p.alpha()).minus(z.times(p.alphaDot())).div(d);
    return new Prediction(z, p, x0, eps);
  }

  @Override
  public int evaluationsPerCall() {
    return model.evaluationsPerCall();
  }

  /** Per row: pᵀ (∂v/∂x) p, from one gradient of Σ v·p (shape [B]). */
  private static Tensor quadraticForm(Tensor v, Tensor x, Tensor probe) {
    return v.times(probe).sum().gradient(x).times(probe).sum(1);
  }

  /** The unit vector e_i as a [1, d] row. */
  private Tensor unit(Tensor like, int i) {
    double[] e = new double[dim];
    e[i] = 1;
    return like.backend().constant(e, 1, dim);
  }

  /** Columns [from, from + size) of a [B, n] tensor. */
  static Tensor columns(Tensor z, int from, int size) {
    Ops tf = z.backend().tf();
    return z.backend().wrap(tf.slice(z.op(), tf.constant(new int[] {0, from}), tf.constant(new int[] {-1, size})));
  }
}
