package org.diffuse4j.guidance;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.Guidance;

/**
 * Guidance of a guidance-distilled student (Meng et al. 2023, "On Distillation of Guided Diffusion
 * Models", §4.1): the network reads the scale w itself, x̂_θ(z_t, w, c) ≈ x̂_u + w (x̂_c − x̂_u), so
 * one evaluation per call gives the classifier-free-guided prediction. w is in the convention of
 * {@code cfg} (1 = the conditional model, 0 = the unconditional one) and travels in
 * {@link Condition#scale()}; the network must read it ({@code guidance_input: true}).
 *
 * @param scale the guidance scale w fed to the network
 */
public record Distilled(double scale) implements Guidance {

  @Override
  public Denoiser guide(ConditionalDenoiser model, Condition condition) {
    return new Guided("distilled w=" + scale, 1,
        (x, p) -> model.predict(x, p, condition.withScale(x.backend().scalar(scale))));
  }

  @Override
  public boolean feedsGuidanceScale() {
    return true;
  }
}
