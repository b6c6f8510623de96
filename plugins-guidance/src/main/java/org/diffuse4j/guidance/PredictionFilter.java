package org.diffuse4j.guidance;

import org.diffuse4j.api.Prediction;

/**
 * A post-processing of a guided prediction (dynamic thresholding, …) that costs no network
 * evaluation; {@link Stack} applies filters after a guidance. A filter is also a {@link
 * org.diffuse4j.api.Guidance} on its own, applied to the conditional model.
 */
@FunctionalInterface
public interface PredictionFilter {

  Prediction apply(Prediction prediction);
}
