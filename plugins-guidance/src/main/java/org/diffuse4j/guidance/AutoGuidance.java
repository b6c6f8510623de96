package org.diffuse4j.guidance;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.Guidance;
import org.diffuse4j.api.Prediction;

/**
 * Autoguidance (Karras et al. 2024, "Guiding a diffusion model with a bad version of itself"):
 * D(x|c) = D_weak(x|c) + w(t)·(D_main(x|c) − D_weak(x|c)), both models conditional on c; the weaker
 * model (smaller, or an earlier checkpoint) takes the place of the unconditional one. Applied to
 * (x̂0, ε̂) like {@link ClassifierFree}. 2 evaluations per call (two different networks, not batched).
 *
 * @param weak the guiding model; the runtime builds it from the {@code weak_model} spec
 * @param scale w(t); 1 = the main model
 */
public record AutoGuidance(ConditionalDenoiser weak, ScaleSchedule scale) implements Guidance {

  public AutoGuidance {
    if (weak == null) {
      throw new IllegalArgumentException("autoguidance needs a weak model to guide with");
    }
    if (scale.scale() < 0) {
      throw new IllegalArgumentException("autoguidance scale must be >= 0 (1 = the main model), got " + scale.scale());
    }
  }

  @Override
  public Denoiser guide(ConditionalDenoiser model, Condition condition) {
    return new Guided("autoguidance w=" + scale.scale(), 2, (x, p) -> {
      Prediction main = model.predict(x, p, condition);
      Prediction bad = weak.predict(x, p, condition);
      return Guided.lerp(bad, main, scale.at(p));
    });
  }
}
