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
 * Adaptive projected guidance (Sadat et al. 2024, "Eliminating oversaturation and artifacts of high
 * guidance scales in diffusion models", Alg. 1), on the denoised estimate D = x̂0 per sample:
 * Δ = D_c − D_u (plus β times the running average of earlier Δ when momentum is on); Δ ← Δ·min(1, r/‖Δ‖)
 * (norm threshold r, off at r = 0); Δ∥ = (⟨Δ, D_c⟩/⟨D_c, D_c⟩) D_c, Δ⊥ = Δ − Δ∥;
 * D = D_c + (w(t) − 1)(Δ⊥ + η Δ∥), ε̂ re-derived from x. With η = 1 and r = 0 it is plain CFG on x̂0.
 *
 * <p>Momentum β keeps a running average across solver steps, Δ_k = (D_c − D_u) + β·Δ_{k−1}, taken
 * before the norm cap (Alg. 1; diffusers' {@code MomentumBuffer}). The denoiser {@link #guide}
 * returns holds Δ_{k−1} immutably: every call within a step uses it, and {@link Denoiser#next()}
 * (called by the sampling loop after each step) returns a denoiser holding the Δ of the step's last
 * call. With one evaluation per step (DDIM, Euler) this is exactly the paper's per-step update and
 * diffusers' per-call buffer. {@link #combine} exposes the same update with the state explicit.
 *
 * @param scale w(t); 1 = the conditional model
 * @param eta weight η of the parallel component
 * @param normThreshold r &gt; 0 caps ‖Δ‖ per sample; 0 = no cap
 * @param momentum β ∈ (−1, 1), 0 = off (Sadat et al. use negative values, e.g. −0.5)
 */
public record AdaptiveProjected(ScaleSchedule scale, double eta, double normThreshold, double momentum)
    implements Guidance {


  @Override
  public boolean needsConditionalModel() {
    return true;
  }

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
    if (!Double.isFinite(eta)) {
      throw new IllegalArgumentException("apg eta must be finite, got " + eta);
    }
    if (!(Math.abs(momentum) < 1)) {
      throw new IllegalArgumentException(momentumRange(momentum));
    }
  }

  @Override
  public Denoiser guide(ConditionalDenoiser model, Condition condition) {
    if (momentum != 0) {
      return new WithMomentum(this, model, condition, Momentum.start());
    }
    return new Guided("apg w=" + scale.scale(), 2, (x, p) -> {
      List<Prediction> both = model.predictAll(x, p, List.of(condition, Condition.none()));
      return combine(both.get(0), both.get(1), Momentum.start()).prediction();
    });
  }

  /** The message for a momentum outside (−1, 1). */
  static String momentumRange(double momentum) {
    return "apg momentum must satisfy -1 < beta < 1 (0 = off; Sadat et al. use e.g. -0.5), got " + momentum
        + ": the running average sum_j beta^j delta_{k-j} forgets earlier steps only when |beta| < 1";
  }

  /**
   * The guided model with momentum for one solver step: every call uses {@code previous} (Δ_{k−1});
   * {@link #next()} carries the Δ of the most recent call to the next step.
   */
  private static final class WithMomentum implements Denoiser {
    private final AdaptiveProjected apg;
    private final ConditionalDenoiser model;
    private final Condition condition;
    private final Momentum previous;
    private Momentum latest;

    WithMomentum(AdaptiveProjected apg, ConditionalDenoiser model, Condition condition, Momentum previous) {
      this.apg = apg;
      this.model = model;
      this.condition = condition;
      this.previous = previous;
    }

    @Override
    public Prediction predict(Tensor x, PathPoint p) {
      List<Prediction> both = model.predictAll(x, p, List.of(condition, Condition.none()));
      Step step = apg.combine(both.get(0), both.get(1), previous);
      latest = step.next();
      return step.prediction();
    }

    @Override
    public int evaluationsPerCall() {
      return 2;
    }

    @Override
    public Denoiser next() {
      return latest == null ? this : new WithMomentum(apg, model, condition, latest);
    }

    @Override
    public String toString() {
      return "apg w=" + apg.scale().scale() + " momentum=" + apg.momentum() + " (2 evaluations per call)";
    }
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
