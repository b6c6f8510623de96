package org.diffuse4j.runtime.lib;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run or a sampling measured, as in its {@code metrics.json}: the sliced Wasserstein distance
 * of the samples to a fresh draw of the data and the same distance between two data draws (the floor
 * it can reach with this many samples), the model evaluations per sample, timings and the training's
 * last loss. Values a measurement did not take are NaN (or 0 for counts).
 *
 * @param all every value of metrics.json, by its key there
 */
public record Metrics(double slicedWasserstein, double slicedWassersteinBaseline, int nfe, int samples,
    double sampleSeconds, int trainSteps, double trainSeconds, double finalLoss, Map<String, Object> all) {

  /** Reads the typed values out of a metrics.json map. */
  static Metrics of(Map<String, ?> m) {
    Map<String, Object> copy = Collections.unmodifiableMap(new LinkedHashMap<>(m));
    return new Metrics(real(m.get("sliced_wasserstein")), real(m.get("sliced_wasserstein_baseline")),
        count(m.get("nfe")), count(m.get("samples")), real(m.get("sample_seconds")), count(m.get("train_steps")),
        real(m.get("train_seconds")), real(m.get("final_loss")), copy);
  }

  private static double real(Object v) {
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static int count(Object v) {
    return v instanceof Number n ? n.intValue() : 0;
  }
}
