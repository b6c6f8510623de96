package org.diffuse4j.objectives;

import org.diffuse4j.api.Coupling;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Schrödinger-bridge CFM (Tong et al. 2023, SB-CFM, Prop. 3.4) in our clock: on pairs from the
 * entropic OT plan with reg = 2σ², x_t = (1 − t) x0 + t ε + σ√(t(1 − t)) z and the target
 * u_t = ε − x0 + σ (1 − 2t)/(2√(t(1 − t))) z, i.e. (x1 − x0) + (1 − 2t)/(2t(1 − t))·(x_t − μ_t) of
 * the paper with its source and target swapped (the formula is symmetric under t ↦ 1 − t up to
 * the direction). z is the batch noise source's stream {@link #STREAM}. The raw output is a
 * velocity: use the {@code velocity} parameterisation (sampling then needs the linear schedule).
 */
public final class SchrodingerBridgeFlowMatching extends RegressionObjective {
  /** Noise stream of the bridge noise z. */
  public static final long STREAM = 0x0D50_0002L;

  private final double sigma;

  public SchrodingerBridgeFlowMatching(double sigma, TimeDensity time, Coupling coupling, ConditionDropout dropout) {
    super(time, new Weighting.Uniform(), coupling, dropout);
    if (!(sigma > 0)) {
      throw new IllegalArgumentException("sb-flow-matching needs sigma > 0, got " + sigma);
    }
    this.sigma = sigma;
  }

  public double sigma() {
    return sigma;
  }

  /** The linear path α = 1 − t, σ = t. */
  @Override
  protected PathPoint path(TrainingBatch b) {
    Tensor t = b.point().t();
    Tensor one = t.zerosLike().plus(1);
    return new PathPoint(t, t.rsub(1), t, one.neg(), one);
  }

  @Override
  protected Tensor sample(TrainingBatch b, PathPoint p) {
    Tensor t = p.t();
    Tensor bridge = t.times(t.rsub(1)).sqrt().times(sigma);
    return super.sample(b, p).plus(z(b).times(bridge));
  }

  @Override
  protected Tensor target(TrainingBatch b, PathPoint p, Tensor xt, Parameterisation param) {
    Tensor t = p.t();
    Tensor rate = t.times(-2).plus(1).div(t.times(t.rsub(1)).sqrt().times(2)).times(sigma);
    return b.eps().minus(b.x0()).plus(z(b).times(rate));
  }

  private static Tensor z(TrainingBatch b) {
    return b.noise().gaussian(STREAM, b.x0());
  }
}
