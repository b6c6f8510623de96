package org.diffuse4j.guidance;

import java.util.List;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.Guidance;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Adaptive projected guidance (Sadat et al. 2024, "Eliminating oversaturation and artifacts of high
 * guidance scales in diffusion models", Alg. 1), on the denoised estimate D = x̂0 per sample:
 * Δ = D_c − D_u (plus β times the running average of earlier Δ when momentum is on); Δ ← Δ·min(1, r/‖Δ‖)
 * (norm threshold r, off at r = 0); Δ∥ = (⟨Δ, D_c⟩/⟨D_c, D_c⟩) D_c, Δ⊥ = Δ − Δ∥;
 * D = D_c + (w(t) − 1)(Δ⊥ + η Δ∥), ε̂ re-derived from x. With η = 1 and r = 0 it is plain CFG on x̂0.
 *
 * <p>Momentum needs Δ from the previous step. {@link #combine} takes and returns it as an explicit
 * {@link Momentum} value; a {@link Denoiser} has no state channel, so {@link #guide} requires β = 0
 * (see docs/guidance.md for the api addition that would carry it).
 *
 * @param scale w(t); 1 = the conditional model
 * @param eta weight η of the parallel component
 * @param normThreshold r &gt; 0 caps ‖Δ‖ per sample; 0 = no cap
 * @param momentum β (typically negative, e.g. −0.5)
 */
public record AdaptiveProjected(ScaleSchedule scale, double eta, double normThreshold, double momentum)
    implements Guidance {

  /** The running average of Δ carried between steps (null tensor = first step). */
  public record Momentum(Tensor average) {
    public static Momentum start() {
      return new Momentum(null);
    }
  }

  /** A guided prediction and the momentum to pass to the next step. */
  public record Step(Prediction prediction, Momentum next) {}

  public AdaptiveProjected {
    if (scale.scale() < 0) {
      throw new IllegalArgumentException("apg scale must be >= 0 (1 = conditional model), got " + scale.scale());
    }
    if (!(normThreshold >= 0)) {
      throw new IllegalArgumentException("apg norm_threshold must be >= 0 (0 = off), got " + normThreshold);
    }
    if (!Double.isFinite(eta) || !Double.isFinite(momentum)) {
      throw new IllegalArgumentException("apg eta and momentum must be finite");
    }
  }

  @Override
  public Denoiser guide(ConditionalDenoiser model, Condition condition) {
    if (momentum != 0) {
      throw new IllegalStateException(
          "apg momentum " + momentum + " needs the previous step's update, which a Denoiser cannot carry"
              + " without hidden state; use momentum 0, or AdaptiveProjected.combine with an explicit Momentum");
    }
    return new Guided("apg w=" + scale.scale(), 2, (x, p) -> {
      List<Prediction> both = model.predictAll(x, p, List.of(condition, Condition.none()));
      return combine(both.get(0), both.get(1), Momentum.start()).prediction();
    });
  }

  /** One APG combination of a conditional and an unconditional prediction at the same (x, t). */
  public Step combine(Prediction cond, Prediction uncond, Momentum state) {
    Tensor dc = cond.x0();
    Tensor delta = dc.minus(uncond.x0());
    if (momentum != 0 && state.average() != null) {
      delta = delta.plus(state.average().times(momentum));
    }
    Momentum next = new Momentum(delta);
    if (normThreshold > 0) {
      Tensor norm = Guided.dot(delta, delta).sqrt();
      delta = delta.times(norm.rdiv(normThreshold).min(norm.backend().scalar(1)));
    }
    Tensor parallel = dc.times(Guided.dot(delta, dc).div(Guided.dot(dc, dc)));
    Tensor orthogonal = delta.minus(parallel);
    Tensor update = orthogonal.plus(parallel.times(eta));
    Tensor x0 = dc.plus(update.times(scale.at(cond.point()).minus(1)));
    return new Step(cond.withX0(x0), next);
  }
}
