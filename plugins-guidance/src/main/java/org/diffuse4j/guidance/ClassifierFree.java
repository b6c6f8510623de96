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
 * Classifier-free guidance (Ho &amp; Salimans 2022; seed 003 eq. 57–58): ε̃ = ε̂(x|∅) + w(t)·(ε̂(x|c) −
 * ε̂(x|∅)), applied to the pair (x̂0, ε̂) and so to every target, the conversions being affine at fixed
 * (x, t). w = 1 is the conditional model, w = 0 the unconditional one; Ho &amp; Salimans' (1 + w')ε_c −
 * w'ε_∅ is w = 1 + w'. The scale follows a {@link ScaleSchedule} (interval, shape over t).
 *
 * <p>With {@code rescale} φ &gt; 0 (Lin et al. 2024, "Common diffusion noise schedules and sample steps
 * are flawed", Alg. 2), the guided target y_cfg of the chosen kind is replaced by
 * φ·y_cfg·std(y_c)/std(y_cfg) + (1 − φ)·y_cfg, std per sample over all non-batch axes.
 *
 * <p>Cost: 2 evaluations per call, as one batched {@link ConditionalDenoiser#predictAll} call; 1 when
 * w = 1 (the conditional model is returned as it is).
 *
 * @param scale w(t)
 * @param rescale φ ∈ [0, 1]
 * @param target the target the rescale acts on (Lin et al. use the model's v output)
 */
public record ClassifierFree(ScaleSchedule scale, double rescale, Target target) implements Guidance {

  @Override
  public boolean needsConditionalModel() {
    return true;
  }


  /** A target guidance rescale can act on. */
  public enum Target {
    X0,
    EPS,
    V
  }

  public ClassifierFree {
    if (scale.scale() < 0) {
      throw new IllegalArgumentException(
          "cfg scale must be >= 0 (1 = conditional model, 0 = unconditional), got " + scale.scale());
    }
    if (!(rescale >= 0 && rescale <= 1)) {
      throw new IllegalArgumentException("cfg rescale must be in [0, 1], got " + rescale);
    }
  }

  /** Plain classifier-free guidance at a constant scale w. */
  public static ClassifierFree of(double w) {
    return new ClassifierFree(ScaleSchedule.constant(w), 0, Target.V);
  }

  @Override
  public Denoiser guide(ConditionalDenoiser model, Condition condition) {
    if (scale.isIdentity()) {
      return new Guided("cfg w=1", 1, (x, p) -> model.predict(x, p, condition));
    }
    return new Guided("cfg w=" + scale.scale(), 2, (x, p) -> predict(model, condition, x, p));
  }

  private Prediction predict(ConditionalDenoiser model, Condition c, Tensor x, PathPoint p) {
    List<Prediction> both = model.predictAll(x, p, List.of(c, Condition.none()));
    Prediction cond = both.get(0);
    Prediction guided = Guided.lerp(both.get(1), cond, scale.at(p));
    return rescale > 0 ? rescaled(cond, guided) : guided;
  }

  private Prediction rescaled(Prediction cond, Prediction guided) {
    Tensor yc = pick(cond);
    Tensor y = pick(guided);
    Tensor factor = Guided.std(yc).div(Guided.std(y)).times(rescale).plus(1 - rescale);
    Tensor out = y.times(factor);
    return switch (target) {
      case X0 -> guided.withX0(out);
      case EPS -> Prediction.fromEps(guided.x(), guided.point(), out);
      case V -> Prediction.fromV(guided.x(), guided.point(), out);
    };
  }

  private Tensor pick(Prediction p) {
    return switch (target) {
      case X0 -> p.x0();
      case EPS -> p.eps();
      case V -> p.v();
    };
  }
}
