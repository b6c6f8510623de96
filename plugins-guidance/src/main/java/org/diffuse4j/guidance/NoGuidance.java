package org.diffuse4j.guidance;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.Guidance;

/** No guidance: the conditional model D(x, t | c) as it is; one network evaluation per call. */
public record NoGuidance() implements Guidance {

  @Override
  public Denoiser guide(ConditionalDenoiser model, Condition condition) {
    return new Guided("none", 1, (x, p) -> model.predict(x, p, condition));
  }
}
