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
 * Composition: one guidance that combines model predictions, then filters applied in order to its
 * output, D(x) = f_n(… f_1(G(x))). Costs the base guidance's evaluations. In a manifest:
 * {@code guidance: {name: stack, of: [{name: cfg, scale: 4}, dynamic-thresholding]}}.
 *
 * @param base the guidance that calls the model
 * @param filters post-processings applied in order
 */
public record Stack(Guidance base, List<PredictionFilter> filters) implements Guidance {

  public Stack {
    if (base == null) {
      throw new IllegalArgumentException("a stack needs a base guidance");
    }
    filters = List.copyOf(filters);
  }

  @Override
  public boolean needsConditionalModel() {
    return base.needsConditionalModel();
  }

  @Override
  public boolean needsLabels() {
    return base.needsLabels();
  }

  @Override
  public boolean feedsGuidanceScale() {
    return base.feedsGuidanceScale();
  }

  @Override
  public Denoiser guide(ConditionalDenoiser model, Condition condition) {
    return new Filtered(base.guide(model, condition), filters);
  }

  /** The base's guided model followed by the filters; {@link #next()} advances the base (APG momentum). */
  private record Filtered(Denoiser inner, List<PredictionFilter> filters) implements Denoiser {

    @Override
    public Prediction predict(Tensor x, PathPoint p) {
      Prediction out = inner.predict(x, p);
      for (PredictionFilter f : filters) {
        out = f.apply(out);
      }
      return out;
    }

    @Override
    public int evaluationsPerCall() {
      return inner.evaluationsPerCall();
    }

    @Override
    public Denoiser next() {
      Denoiser n = inner.next();
      return n == inner ? this : new Filtered(n, filters);
    }

    @Override
    public String toString() {
      return "stack of " + inner + " and " + filters.size() + " filter(s)";
    }
  }
}
