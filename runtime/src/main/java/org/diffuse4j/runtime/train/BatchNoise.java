package org.diffuse4j.runtime.train;

import java.util.Map;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.model.DataSet;
import org.diffuse4j.api.plugin.OptionException;

/**
 * The noise rows ε of a training batch: fresh {@link CounterNoise} re-ordered by the objective's
 * coupling, or, when the objective declares {@link Objective#pairedNoise()} (reflow), the data set's
 * own noise rows for the same rows as x0 (the pairs are then the coupling, which is not consulted).
 */
final class BatchNoise {
  /** CounterNoise stream of the training noise ε. */
  static final long STREAM = 1;

  private BatchNoise() {}

  /**
   * Fails unless objective and data agree on pairing: a paired objective needs paired data, and
   * paired data with an objective that draws its own noise would silently ignore the pairs.
   */
  static void requireAgreement(Objective objective, DataSet data, Object objectiveSpec) {
    String name = objectiveSpec instanceof Map<?, ?> m ? String.valueOf(m.get("name")) : String.valueOf(objectiveSpec);
    if (objective.pairedNoise() && !data.paired()) {
      throw new OptionException("objective '" + name + "' trains on (data, noise) pairs, but the data set has no paired "
          + "noise rows; generate pairs with 'diffuse4j reflow RUN_DIR --out PAIRS' and train on "
          + "data: {name: npy, path: PAIRS/x0.npy, noise: PAIRS/noise.npy}");
    }
    if (!objective.pairedNoise() && data.paired()) {
      throw new OptionException("the data set has paired noise rows (data.noise), but objective '" + name
          + "' draws its own noise and would ignore them; use objective: reflow to train on the pairs, "
          + "or remove data.noise to train on the data rows alone");
    }
  }

  /**
   * ε for rows {@code first … first+B−1} whose data rows are {@code x0}: the data's paired rows, or
   * noise row {@code pair[i]} of the fresh draw for data row i.
   */
  static double[] rows(Objective objective, DataSet data, double[] x0, long dataSeed, long noiseSeed, long first,
      int batch, int dim) {
    if (objective.pairedNoise()) {
      return data.noise(dataSeed, first, batch);
    }
    double[] noise = CounterNoise.gaussian(noiseSeed, first, batch, dim, STREAM);
    int[] pair = objective.coupling().pair(x0, noise, batch, dim);
    double[] out = new double[noise.length];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(noise, pair[i] * dim, out, i * dim, dim);
    }
    return out;
  }
}
