package org.diffuse4j.guidance;

import java.util.List;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.Guidance;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Rectified-CFG++ (Saini, Gupta &amp; Bovik 2025, arXiv 2510.07631), the predictor–corrector form for
 * flow models as we read it: a conditional predictor half-step x̃ = x − δ·v_c(x, t) to t̃ = t − δ,
 * then the velocity v̂ = v_c(x, t) + λ·t^γ·(v_c(x̃, t̃) − v_u(x̃, t̃)), an interpolative correction
 * that vanishes at the data end t = 0. The guided model returns the prediction whose velocity
 * α̇ x̂0 + σ̇ ε̂ is v̂, so any solver integrates it. α(t̃), σ(t̃) are α − δα̇, σ − δσ̇: exact on linear
 * (rectified-flow) paths, first order otherwise. δ is capped at t/2 so the look-ahead stays in
 * (0, t]. λ = 0 is the conditional model. 3 evaluations per call (v_c at x, then one batched call at x̃).
 *
 * @param scale λ ≥ 0
 * @param gamma γ ≥ 0, the decay of the correction towards the data
 * @param halfStep δ &gt; 0 in units of t (about half the sampler's step)
 */
public record RectifiedCfg(double scale, double gamma, double halfStep) implements Guidance {

  @Override
  public boolean needsConditionalModel() {
    return true;
  }


  public RectifiedCfg {
    if (!(scale >= 0) || !(gamma >= 0) || !(halfStep > 0 && halfStep < 1)) {
      throw new IllegalArgumentException(
          "rectified-cfg needs scale >= 0, gamma >= 0 and 0 < half_step < 1, got scale=" + scale
              + ", gamma=" + gamma + ", half_step=" + halfStep);
    }
  }

  @Override
  public Denoiser guide(ConditionalDenoiser model, Condition condition) {
    return new Guided("rectified-cfg lambda=" + scale, 3, (x, p) -> {
      Tensor vc = model.predict(x, p, condition).velocity();
      Tensor d = p.t().times(0.5).min(p.t().backend().scalar(halfStep));
      Tensor xh = x.minus(vc.times(d));
      PathPoint ph =
          new PathPoint(
              p.t().minus(d),
              p.alpha().minus(p.alphaDot().times(d)),
              p.sigma().minus(p.sigmaDot().times(d)),
              p.alphaDot(),
              p.sigmaDot());
      List<Prediction> both = model.predictAll(xh, ph, List.of(condition, Condition.none()));
      Tensor decay = gamma == 0 ? p.t().backend().scalar(1) : gamma == 1 ? p.t() : p.t().log().times(gamma).exp();
      Tensor v = vc.plus(both.get(0).velocity().minus(both.get(1).velocity()).times(decay.times(scale)));
      return Prediction.fromVelocity(x, p, v);
    });
  }
}
