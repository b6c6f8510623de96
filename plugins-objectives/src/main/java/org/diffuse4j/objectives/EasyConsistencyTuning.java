package org.diffuse4j.objectives;

import java.util.Set;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Easy consistency tuning (Geng et al. 2024, Consistency Models Made Easy, §3–4), in r = σ/α: start
 * from a trained diffusion run's weights ({@link Need#INIT}) and tune with pairs (r, r') where
 * ln r ~ N(P_mean, P_std²) and r' = r·(1 − n(r)/q^⌊k/d⌋), n(r) = 1 + κ·sigmoid(−b r), so Δr shrinks by
 * q every d steps (at the start r' ≤ 0: the diffusion loss); loss λ·d(f_θ(x_r), sg f_θ(x_r')) with the
 * same x0 and ε, λ = 1/(r − r'), pseudo-Huber d, and θ⁻ = θ with gradients stopped (no EMA target,
 * no teacher). r' is kept at or above r_min (the boundary, where f = x) and r above 2 r_min.
 */
public final class EasyConsistencyTuning implements Objective {
  private final double rMin;
  private final double rMax;
  private final double pMean;
  private final double pStd;
  private final double q;
  private final double kappa;
  private final double b;
  private final long stageSteps;

  public EasyConsistencyTuning(double rMin, double rMax, double pMean, double pStd, double q, double kappa, double b,
      long stageSteps) {
    if (!(rMin > 0 && rMax > 2 * rMin && pStd > 0 && q > 1 && kappa >= 0 && stageSteps >= 1)) {
      throw new IllegalArgumentException("ect needs 0 < 2·sigma_min < sigma_max, p_std > 0, q > 1, k >= 0 and "
          + "stage_steps >= 1");
    }
    this.rMin = rMin;
    this.rMax = rMax;
    this.pMean = pMean;
    this.pStd = pStd;
    this.q = q;
    this.kappa = kappa;
    this.b = b;
    this.stageSteps = stageSteps;
  }

  @Override
  public Set<Need> needs() {
    return Set.of(Need.INIT);
  }

  /** r from the log-normal density, kept in [2 r_min, r_max], as a time of the schedule. */
  @Override
  public double sampleTime(Schedule schedule, double u) {
    double r = Math.exp(pMean + pStd * NormalQuantile.of(u));
    return schedule.timeOfLambda(-Math.log(Math.min(rMax, Math.max(2 * rMin, r))));
  }

  @Override
  public boolean pairsTimes() {
    return true;
  }

  /** r' = max(r_min, r·(1 − n(r)/q^⌊step/d⌋)). */
  public double pairedLevel(double r, long step) {
    double n = 1 + kappa / (1 + Math.exp(b * r));
    double ratio = 1 - n / Math.pow(q, Math.floor((double) step / stageSteps));
    return Math.max(rMin, r * ratio);
  }

  @Override
  public double pairedTime(Schedule schedule, double t, long step) {
    return schedule.timeOfLambda(-Math.log(pairedLevel(schedule.sigma(t) / schedule.alpha(t), step)));
  }

  @Override
  public Tensor loss(TrainingBatch batch, Network network, Parameterisation param) {
    return ConsistencyTraining.pseudoHuberPair(batch, network, param);
  }
}
