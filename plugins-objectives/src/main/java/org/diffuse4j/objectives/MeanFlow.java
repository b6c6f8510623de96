package org.diffuse4j.objectives;

import java.util.List;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.FlowMapNetwork;
import org.diffuse4j.api.FlowMapParameterisation;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.TrainingNetworks;
import org.diffuse4j.api.tensor.Tensor;

/**
 * The MeanFlow loss (Geng et al. 2025, Mean Flows for One-step Generative Modeling, eq. 10–11,
 * Alg. 1, §4.3): the network h(x, s, t) is the average velocity of the meanflow parameterisation
 * G = x + (t − s)h, trained towards sg(h_tgt) with h_tgt = v − (s − t)(∂ₓh·v + ∂ₛh), v = α̇ₛx0 + σ̇ₛε
 * the conditional velocity at x_s = αₛx0 + σₛε, and the total derivative taken as one JVP along
 * (v, 1) in (x, s) (the paper's (v, 0, 1) in (z, r, t): its start t is our s, its end r our t);
 * per example sg(w)·d with d = mean((h − sg h_tgt)²) and the adaptive weight w = 1/(d + c)^p.
 * Times (s, t): two logit-normal draws, s the larger and t the smaller, and t = s (the flow-matching
 * case) except for a fraction {@code ratio} of examples. As an {@link Objective} it trains any
 * flow-map parameterisation through its average velocity u(x, s, t) (MeanFlow's own: u = h; CTM's:
 * u = (x − g)/s), the JVP then taking in the form's dependence on x and s.
 */
public final class MeanFlow implements Objective {
  private final double ratio;
  private final double pMean;
  private final double pStd;
  private final double power;
  private final double c;

  /**
   * The paper's defaults are ratio 0.25, logit-normal (−0.4, 1.0), p = 1, c = 1e-3 (Table 1).
   *
   * @param ratio fraction of examples with t ≠ s
   * @param pMean mean of the logit-normal time density
   * @param pStd standard deviation of the logit-normal time density
   * @param power the adaptive weight's exponent p (0: plain squared error)
   * @param c the adaptive weight's offset
   */
  public MeanFlow(double ratio, double pMean, double pStd, double power, double c) {
    if (!(ratio >= 0 && ratio <= 1 && pStd > 0 && power >= 0 && c > 0)) {
      throw new IllegalArgumentException("meanflow needs 0 <= ratio <= 1, p_std > 0, p >= 0 and c > 0");
    }
    this.ratio = ratio;
    this.pMean = pMean;
    this.pStd = pStd;
    this.power = power;
    this.c = c;
  }

  /** The paper's defaults (Table 1). */
  public static MeanFlow defaults() {
    return new MeanFlow(0.25, -0.4, 1.0, 1.0, 1e-3);
  }

  /**
   * The pair {s, t}, s ≥ t, from two independent uniforms in (0, 1): s the larger of two
   * logit-normal draws (CDF F², so s = F⁻¹(√u₁)); then with probability {@code ratio} t the smaller
   * (F truncated to (0, s): t = F⁻¹(u F(s)) with u = u₂/ratio), else t = s. The same joint law as
   * sorting two draws.
   */
  public double[] times(double u1, double u2) {
    double s = quantile(Math.sqrt(u1));
    return new double[] {s, u2 < ratio ? quantile(u2 / ratio * cdf(s)) : s};
  }

  /** F⁻¹(p) of the logit-normal density. */
  private double quantile(double p) {
    return 1 / (1 + Math.exp(-(pMean + pStd * NormalQuantile.of(p))));
  }

  /** F(x) of the logit-normal density. */
  private double cdf(double x) {
    return NormalQuantile.cdf((Math.log(x / (1 - x)) - pMean) / pStd);
  }

  /** The start time s (the larger of the pair), within the schedule's range. */
  @Override
  public double sampleTime(Schedule schedule, double u) {
    return schedule.clamp(quantile(Math.sqrt(u)));
  }

  @Override
  public boolean pairsTimes() {
    return true;
  }

  /** The end time t ≤ s: with probability {@code ratio} from F truncated to (0, s), else s. */
  @Override
  public double pairedTime(Schedule schedule, double s, long step, double u) {
    return u < ratio ? schedule.clamp(Math.min(s, quantile(u / ratio * cdf(s)))) : s;
  }

  /** MeanFlow's end time is random: the trainer calls {@link #pairedTime(Schedule, double, long, double)}. */
  @Override
  public double pairedTime(Schedule schedule, double t, long step) {
    throw new UnsupportedOperationException("MeanFlow draws its end time: call pairedTime(schedule, t, step, u)");
  }

  @Override
  public boolean trainsFlowMap() {
    return true;
  }

  /** MeanFlow trains a two-time network: the trainer calls {@link #loss(TrainingBatch, TrainingNetworks, Parameterisation)}. */
  @Override
  public Tensor loss(TrainingBatch batch, Network network, Parameterisation param) {
    throw new IllegalStateException("meanflow trains a flow map: it needs the run's flow-map parameterisation "
        + "(TrainingNetworks.flowMap)");
  }

  /**
   * Per-example loss [B] at x_s (start {@code batch.point()}, end {@code batch.paired()}) of the
   * run's two-time network through its flow-map parameterisation's average velocity.
   */
  @Override
  public Tensor loss(TrainingBatch batch, TrainingNetworks networks, Parameterisation param) {
    FlowMapParameterisation fm = networks.flowMap();
    if (fm == null) {
      return loss(batch, networks.network(), param);
    }
    PathPoint s = batch.point();
    PathPoint t = batch.paired();
    Tensor xs = batch.xt();
    Tensor v = batch.x0().times(s.alphaDot()).plus(batch.eps().times(s.sigmaDot()));
    Tensor raw = FlowMapNetwork.of(networks.network())
        .jump(fm.networkInput(xs, s), fm.networkTime(s), fm.networkTime(t), batch.condition());
    return loss(fm.averageVelocity(raw, xs, s, t), xs, v, s, t);
  }

  /** The regression target h_tgt = v − (s − t)(∂ₓh·v + ∂ₛh) at x_s, gradients stopped; h is evaluated at (x_s, s.t(), t.t()). */
  public Tensor target(FlowMapNetwork h, Tensor x0, Tensor eps, PathPoint s, PathPoint t, Condition condition) {
    Tensor xs = x0.times(s.alpha()).plus(eps.times(s.sigma()));
    return target(h.jump(xs, s.t(), t.t(), condition), xs, x0.times(s.alphaDot()).plus(eps.times(s.sigmaDot())), s, t);
  }

  private static Tensor target(Tensor out, Tensor xs, Tensor v, PathPoint s, PathPoint t) {
    Tensor dh = out.jvp(List.of(xs, s.t()), List.of(v, s.t().zerosLike().plus(1)));
    return v.minus(dh.times(s.t().minus(t.t()))).stopGradient();
  }

  /** Per-example loss [B]: sg(w)·d, d = mean over each row of (h(x_s, s, t) − h_tgt)²; one network evaluation and one JVP. */
  public Tensor loss(FlowMapNetwork h, Tensor x0, Tensor eps, PathPoint s, PathPoint t, Condition condition) {
    Tensor xs = x0.times(s.alpha()).plus(eps.times(s.sigma()));
    Tensor v = x0.times(s.alphaDot()).plus(eps.times(s.sigmaDot()));
    return loss(h.jump(xs, s.t(), t.t(), condition), xs, v, s, t);
  }

  /** sg(w)·d for the average velocity u at (x_s, s, t), u a function of x_s and s.t() in the graph. */
  private Tensor loss(Tensor u, Tensor xs, Tensor v, PathPoint s, PathPoint t) {
    Tensor d = u.minus(target(u, xs, v, s, t)).square().meanPerSample();
    if (power == 0) {
      return d;
    }
    Tensor w = d.plus(c).log().times(-power).exp().stopGradient();
    return d.times(w);
  }
}
