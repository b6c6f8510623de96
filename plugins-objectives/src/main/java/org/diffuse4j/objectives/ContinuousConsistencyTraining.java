package org.diffuse4j.objectives;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.TrainingNetworks;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Continuous-time consistency training, sCT (Lu &amp; Song 2024, Simplifying, Stabilizing and Scaling
 * Continuous-Time Consistency Models, eq. 8 and Alg. 1), on TrigFlow x_τ = cos τ·x0 + sin τ·z,
 * z = σ_d ε, with f(x_τ, τ) = cos τ·x_τ − sin τ·σ_d F(x_τ/σ_d, τ):
 *
 * <p>g = −cos²τ·(σ_d F⁻ − dx_τ/dτ) − r·cos τ sin τ·(x_τ + σ_d dF⁻/dτ),  g ← g/(‖g‖ + c),
 * loss = ‖F_θ − F_θ⁻ − g‖²/D, θ⁻ = sg θ, with the conditional velocity dx_τ/dτ = cos τ·z − sin τ·x0,
 * the total derivative dF⁻/dτ = ∂ₓF·dx_τ/dτ + ∂_τF one {@link Tensor#jvp} through the network, the
 * tangent warm-up r = min(1, k/H) at optimiser step k, and ln(σ_d tan τ) ~ N(P_mean, P_std²).
 *
 * <p>Written for any schedule and parameterisation through r_t = σ/α: tan τ = r_t/σ_d, x_τ = cos τ·x/α
 * (on the {@code trigflow} schedule τ = πt/2, so the paper's time is our t times π/2, and x_τ = x),
 * and F is the raw output the parameterisation's x̂0 implies, F = (cos τ·x_τ − x̂0)/(σ_d sin τ) (the
 * network's output itself with {@code parameterisation: trigflow}). The derivative along the
 * trajectory is taken in the schedule's t (x, t, α, σ all move: dual perturbation s, JVP along 1)
 * and divided by dτ/dt = σ_d(ασ̇ − σα̇)/(σ_d²α² + σ²). With {@code adaptive} the loss is the paper's
 * adaptive form e^{w_φ}·loss − w_φ (eq. 9; {@link org.diffuse4j.api.LearnedWeight}, w_φ = −u_φ).
 * The warm-up factor is computed in the graph from the batch's optimiser step.
 */
public final class ContinuousConsistencyTraining implements Objective {
  private final double sigmaData;
  private final double pMean;
  private final double pStd;
  private final double c;
  private final long warmupSteps;
  private final boolean adaptive;

  /**
   * The paper's CIFAR-10 settings are σ_d = 0.5, P_mean = −1.0, P_std = 1.4, c = 0.1, H = 10,000.
   *
   * @param sigmaData σ_d of TrigFlow (the data's standard deviation)
   * @param pMean mean of ln(σ_d tan τ)
   * @param pStd standard deviation of ln(σ_d tan τ)
   * @param c the tangent normalisation's offset
   * @param warmupSteps H of the tangent warm-up r = min(1, k/H); 0 for r = 1 throughout
   * @param adaptive whether the loss is weighted by a learned w_φ(t) (eq. 9)
   */
  public ContinuousConsistencyTraining(double sigmaData, double pMean, double pStd, double c, long warmupSteps,
      boolean adaptive) {
    if (!(sigmaData > 0 && pStd > 0 && c > 0 && warmupSteps >= 0)) {
      throw new IllegalArgumentException("sct needs sigma_data > 0, p_std > 0, c > 0 and warmup_steps >= 0");
    }
    this.sigmaData = sigmaData;
    this.pMean = pMean;
    this.pStd = pStd;
    this.c = c;
    this.warmupSteps = warmupSteps;
    this.adaptive = adaptive;
  }

  /** The learned weighting w_φ when {@code adaptive}; nothing else. */
  @Override
  public Set<Need> needs() {
    return adaptive ? EnumSet.of(Need.WEIGHTING) : Set.of();
  }

  /** Whether the loss is weighted by a learned w_φ(t). */
  public boolean adaptive() {
    return adaptive;
  }

  /** The tangent warm-up r = min(1, k/H) at optimiser step k (1 when H = 0). */
  public double warmup(long step) {
    return warmupSteps == 0 ? 1 : Math.min(1, step / (double) warmupSteps);
  }

  /** ln(σ/α) = ln(σ_d tan τ) = P_mean + P_std·Φ⁻¹(u), as a time of the schedule (kept in [tMin, tMax]). */
  @Override
  public double sampleTime(Schedule schedule, double u) {
    double t = schedule.timeOfLambda(-(pMean + pStd * NormalQuantile.of(u)));
    return schedule.clamp(t);
  }

  /**
   * The tangent warm-up r = min(1, k/H) in the graph, at the batch's optimiser step (1 when H = 0 or
   * outside a trainer, where the batch has no step).
   *
   * @param b the training batch
   * @return r, a scalar or a [B, 1] column of ones
   */
  public Tensor warmup(TrainingBatch b) {
    if (warmupSteps == 0 || b.step() == null) {
      return b.point().t().zerosLike().plus(1);
    }
    return b.step().times(1.0 / warmupSteps).clip(0, 1);
  }

  @Override
  public Tensor loss(TrainingBatch b, Network network, Parameterisation param) {
    Tensor r = warmup(b);
    PathPoint p = b.point();
    Tensor velocity = trigVelocity(b.x0(), b.eps(), p);
    return loss(b.xt(), p, velocity, r, b.condition(), network, param);
  }

  /** The loss above, weighted by the learned w_φ when {@code adaptive}: e^{w}·loss − w. */
  @Override
  public Tensor loss(TrainingBatch b, TrainingNetworks networks, Parameterisation param) {
    return networks.weigh(loss(b, networks.network(), param), b.point());
  }

  /**
   * Per-example loss [B]: ‖F_θ − sg F_θ − sg g‖²/D at x on the path point p, with dx_τ/dτ = {@code velocity}.
   *
   * @param x the noisy state on the schedule, shape [B, …]
   * @param p the schedule's path point at each row's time, [B, 1] columns
   * @param velocity dx_τ/dτ, the TrigFlow velocity (conditional for sCT, the teacher's for sCD)
   * @param r the tangent warm-up factor, a scalar or a [B, 1] column
   * @param condition the examples' condition
   * @param network the network being trained
   * @param param the run's parameterisation
   * @return the loss of each example, shape [B]
   */
  public Tensor loss(Tensor x, PathPoint p, Tensor velocity, Tensor r, Condition condition, Network network,
      Parameterisation param) {
    Terms terms = terms(x, p, velocity, condition, network, param);
    Tensor g = tangent(terms, velocity, r);
    Tensor ref = g.square().sumPerSample().sqrt().plus(c);
    Tensor gn = g.div(ref.reshape(column(g))).stopGradient();
    return terms.f.minus(terms.f.stopGradient()).minus(gn).square().meanPerSample();
  }

  /** The unnormalised tangent g = −cos²τ(σ_d F − v) − r cos τ sin τ (x_τ + σ_d dF/dτ), gradients stopped. */
  Tensor tangent(Terms t, Tensor velocity, Tensor r) {
    Tensor first = t.f.times(sigmaData).minus(velocity).times(t.cos.square()).neg();
    Tensor second = t.xTau.plus(t.dfDtau.times(sigmaData)).times(t.cos.times(t.sin)).times(r);
    return first.minus(second).stopGradient();
  }

  /** The TrigFlow velocity dx_τ/dτ = cos τ·σ_d ε − sin τ·x0 of the pair (x0, ε) at p. */
  public Tensor trigVelocity(Tensor x0, Tensor eps, PathPoint p) {
    return eps.times(cos(p).times(sigmaData)).minus(x0.times(sin(p)));
  }

  /** F, x_τ, cos τ, sin τ and dF/dτ at (x, p): F with gradients, dF/dτ stopped. */
  record Terms(Tensor f, Tensor xTau, Tensor cos, Tensor sin, Tensor dfDtau) {}

  Terms terms(Tensor x, PathPoint p, Tensor velocity, Condition condition, Network network, Parameterisation param) {
    // dual perturbation: every input moves along the trajectory by s (zero in value), d/ds = d/dt
    Tensor s = p.t().zerosLike();
    Tensor xDot = schedVelocity(velocity, x, p);
    Tensor xs = x.plus(xDot.times(s));
    PathPoint ps = new PathPoint(p.t().plus(s), p.alpha().plus(p.alphaDot().times(s)),
        p.sigma().plus(p.sigmaDot().times(s)), p.alphaDot(), p.sigmaDot());
    Tensor f = trigOutput(xs, ps, condition, network, param);
    Tensor dfDt = f.jvp(List.of(s), List.of(s.plus(1)));
    Tensor dtauDt = p.d().times(sigmaData).div(p.alpha().square().times(sigmaData * sigmaData).plus(p.sigma().square()));
    Tensor co = cos(p);
    return new Terms(f, x.div(p.alpha()).times(co), co, sin(p), dfDt.div(dtauDt).stopGradient());
  }

  /**
   * dx/dt on the schedule of the trajectory whose TrigFlow velocity is v: with y = x/α and x_τ = cos τ·y,
   * dy/dτ = (v + sin τ·y)/cos τ, so dx/dt = α̇ y + α·dy/dτ·dτ/dt.
   */
  private Tensor schedVelocity(Tensor v, Tensor x, PathPoint p) {
    Tensor y = x.div(p.alpha());
    Tensor dyDtau = v.plus(y.times(sin(p))).div(cos(p));
    Tensor dtauDt = p.d().times(sigmaData).div(p.alpha().square().times(sigmaData * sigmaData).plus(p.sigma().square()));
    return y.times(p.alphaDot()).plus(dyDtau.times(p.alpha().times(dtauDt)));
  }

  /** F = (cos τ·x_τ − x̂0)/(σ_d sin τ) with x̂0 the parameterisation's. */
  private Tensor trigOutput(Tensor x, PathPoint p, Condition condition, Network network, Parameterisation param) {
    Tensor raw = network.apply(param.networkInput(x, p), param.networkTime(p), condition);
    Tensor x0 = param.interpret(raw, x, p).x0();
    Tensor co = cos(p);
    return x.div(p.alpha()).times(co.square()).minus(x0).div(sin(p).times(sigmaData));
  }

  private Tensor norm(PathPoint p) {
    return p.sigma().div(p.alpha()).square().plus(sigmaData * sigmaData).sqrt();
  }

  private Tensor cos(PathPoint p) {
    return norm(p).rdiv(sigmaData);
  }

  private Tensor sin(PathPoint p) {
    return p.sigma().div(p.alpha()).div(norm(p));
  }

  private static long[] column(Tensor x) {
    long[] shape = new long[x.rank()];
    java.util.Arrays.fill(shape, 1);
    shape[0] = -1;
    return shape;
  }
}
