package org.diffuse4j.objectives;

import org.diffuse4j.api.Coupling;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.TrainingBatch;

/**
 * Conditional flow matching (Lipman et al. 2023, eq. 20–23) in our clock: the run's schedule with
 * the data end smoothed by σ_min, x_t = α x0 + (σ + σ_min α) ε, regressed on the parameterisation's
 * target on that path (velocity: α̇ x0 + (σ̇ + σ_min α̇) ε). For the linear schedule this is
 * x_t = (1 − t) x0 + (σ_min + (1 − σ_min) t) ε, Lipman's ψ_t with t ↦ 1 − t, and the target is
 * (1 − σ_min) ε − x0. With a minibatch-OT coupling it is OT-CFM (Tong et al. 2023); on the data
 * set's own (endpoint, noise) pairs ({@link #reflow}) it is reflow (Liu et al. 2022).
 */
public final class FlowMatching extends RegressionObjective {
  private final double sigmaMin;
  private final boolean paired;

  public FlowMatching(double sigmaMin, TimeDensity time, Coupling coupling, ConditionDropout dropout) {
    this(sigmaMin, time, coupling, dropout, false);
  }

  private FlowMatching(double sigmaMin, TimeDensity time, Coupling coupling, ConditionDropout dropout, boolean paired) {
    super(time, new Weighting.Uniform(), coupling, dropout);
    if (!(sigmaMin >= 0 && sigmaMin < 1)) {
      throw new IllegalArgumentException("sigma_min must be in [0, 1), got " + sigmaMin);
    }
    this.sigmaMin = sigmaMin;
    this.paired = paired;
  }

  /**
   * Reflow (Liu et al. 2022): flow matching on the data set's own (endpoint, noise) pairs, so row i
   * trains with its paired noise row and no fresh noise is drawn ({@link #pairedNoise()}).
   */
  public static FlowMatching reflow(double sigmaMin, TimeDensity time, ConditionDropout dropout) {
    return new FlowMatching(sigmaMin, time, Coupling.INDEPENDENT, dropout, true);
  }

  public double sigmaMin() {
    return sigmaMin;
  }

  /** True for reflow: ε comes from the data set's pairs. */
  @Override
  public boolean pairedNoise() {
    return paired;
  }

  @Override
  protected PathPoint path(TrainingBatch b) {
    PathPoint p = b.point();
    if (sigmaMin == 0) {
      return p;
    }
    return new PathPoint(
        p.t(),
        p.alpha(),
        p.sigma().plus(p.alpha().times(sigmaMin)),
        p.alphaDot(),
        p.sigmaDot().plus(p.alphaDot().times(sigmaMin)));
  }
}
