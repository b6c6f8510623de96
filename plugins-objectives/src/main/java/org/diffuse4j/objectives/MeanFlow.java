package org.diffuse4j.objectives;

import java.util.List;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.FlowMapNetwork;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.tensor.Tensor;

/**
 * The MeanFlow loss (Geng et al. 2025, Mean Flows for One-step Generative Modeling, eq. 10–11,
 * Alg. 1, §4.3): the network h(x, s, t) is the average velocity of the meanflow parameterisation
 * G = x + (t − s)h, trained towards sg(h_tgt) with h_tgt = v − (s − t)(∂ₓh·v + ∂ₛh), v = α̇ₛx0 + σ̇ₛε
 * the conditional velocity at x_s = αₛx0 + σₛε, and the total derivative taken as one JVP along
 * (v, 1) in (x, s) (the paper's (v, 0, 1) in (z, r, t): its start t is our s, its end r our t);
 * per example sg(w)·d with d = mean((h − sg h_tgt)²) and the adaptive weight w = 1/(d + c)^p.
 * Times (s, t): two logit-normal draws, s the larger and t the smaller, and t = s (the flow-matching
 * case) except for a fraction {@code ratio} of examples. Not an {@link org.diffuse4j.api.Objective}
 * yet: it needs a two-time network and a random second time, which the trainer does not provide.
 */
public final class MeanFlow {
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

  /** The pair {s, t}, s ≥ t, from three independent uniforms in (0, 1). */
  public double[] times(double u1, double u2, double u3) {
    double a = logitNormal(u1);
    double b = logitNormal(u2);
    double s = Math.max(a, b);
    return new double[] {s, u3 < ratio ? Math.min(a, b) : s};
  }

  private double logitNormal(double u) {
    return 1 / (1 + Math.exp(-(pMean + pStd * NormalQuantile.of(u))));
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
    Tensor out = h.jump(xs, s.t(), t.t(), condition);
    Tensor d = out.minus(target(out, xs, v, s, t)).square().meanPerSample();
    if (power == 0) {
      return d;
    }
    Tensor w = d.plus(c).log().times(-power).exp().stopGradient();
    return d.times(w);
  }
}
