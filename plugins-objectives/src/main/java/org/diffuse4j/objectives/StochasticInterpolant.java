package org.diffuse4j.objectives;

import org.diffuse4j.api.Coupling;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.tensor.Tensor;

/**
 * The variance-preserving (trigonometric) stochastic interpolant (Albergo &amp; Vanden-Eijnden 2023;
 * VP-CFM of Tong et al. 2023): x_t = cos(πt/2) x0 + sin(πt/2) ε + σ z, regressed on the
 * parameterisation's target on that path (velocity: (π/2)(cos(πt/2) ε − sin(πt/2) x0)). σ adds
 * TorchCFM's constant Gaussian smoothing (z = the batch noise source's stream {@link #STREAM});
 * the target does not depend on z. Sampling needs the matching trigonometric schedule.
 */
public final class StochasticInterpolant extends RegressionObjective {
  /** Noise stream of the smoothing noise z. */
  public static final long STREAM = 0x0D50_0003L;

  private final double sigma;

  public StochasticInterpolant(double sigma, TimeDensity time, Coupling coupling, ConditionDropout dropout) {
    super(time, new Weighting.Uniform(), coupling, dropout);
    if (!(sigma >= 0)) {
      throw new IllegalArgumentException("stochastic-interpolant needs sigma >= 0, got " + sigma);
    }
    this.sigma = sigma;
  }

  public double sigma() {
    return sigma;
  }

  /** α = cos(πt/2), σ = sin(πt/2). */
  @Override
  protected PathPoint path(TrainingBatch b) {
    Tensor t = b.point().t();
    Tensor angle = t.times(0.5 * Math.PI);
    Tensor cos = angle.cos();
    Tensor sin = angle.sin();
    return new PathPoint(t, cos, sin, sin.times(-0.5 * Math.PI), cos.times(0.5 * Math.PI));
  }

  @Override
  protected Tensor sample(TrainingBatch b, PathPoint p) {
    Tensor x = super.sample(b, p);
    return sigma == 0 ? x : x.plus(b.noise().gaussian(STREAM, b.x0()).times(sigma));
  }
}
