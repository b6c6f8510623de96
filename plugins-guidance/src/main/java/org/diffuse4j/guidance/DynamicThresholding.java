package org.diffuse4j.guidance;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.Guidance;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Dynamic thresholding (Saharia et al. 2022, Imagen, §2.3): per sample, s = the p-quantile of |x̂0|
 * (linear interpolation between order statistics, as numpy/torch quantile), s ← min(max(s, 1), s_max),
 * x̂0 ← clip(x̂0, −s, s)/s; ε̂ is re-derived from x so x = α x̂0 + σ ε̂ still holds. A {@link
 * PredictionFilter}; alone it filters the conditional model (1 evaluation), stacked it filters
 * another guidance ({@link Stack}).
 *
 * @param percentile p ∈ [0, 1]
 * @param maxThreshold s_max ≥ 1 (+∞ = no cap)
 */
public record DynamicThresholding(double percentile, double maxThreshold) implements PredictionFilter, Guidance {

  public DynamicThresholding {
    if (!(percentile >= 0 && percentile <= 1)) {
      throw new IllegalArgumentException("dynamic-thresholding percentile must be in [0, 1], got " + percentile);
    }
    if (!(maxThreshold >= 1)) {
      throw new IllegalArgumentException("dynamic-thresholding max_threshold must be >= 1, got " + maxThreshold);
    }
  }

  @Override
  public Denoiser guide(ConditionalDenoiser model, Condition condition) {
    return new Guided("dynamic-thresholding", 1, (x, p) -> apply(model.predict(x, p, condition)));
  }

  @Override
  public Prediction apply(Prediction prediction) {
    Tensor x0 = prediction.x0();
    long[] shape = x0.shape().asArray();
    long n = 1;
    for (int i = 1; i < shape.length; i++) {
      n *= shape[i];
    }
    if (shape.length < 2 || n <= 0) {
      throw new IllegalArgumentException("dynamic thresholding needs x of shape [B, …] with known sizes, got " + x0.shape());
    }
    Backend b = x0.backend();
    Tensor flat = x0.abs().reshape(-1, n);
    // all values per row, descending; ascending position q = p (n − 1) is descending index n − 1 − q
    Tensor sorted = b.wrap(b.tf().nn.topK(flat.op(), b.tf().constant((int) n), new org.tensorflow.op.nn.TopK.Options[0]).values());
    double q = percentile * (n - 1);
    long lo = (long) Math.floor(q);
    long hi = Math.min(lo + 1, n - 1);
    double frac = q - lo;
    Tensor vLo = column(b, sorted, n - 1 - lo);
    Tensor vHi = column(b, sorted, n - 1 - hi);
    Tensor s = vLo.plus(vHi.minus(vLo).times(frac)).max(b.scalar(1));
    if (maxThreshold != Double.POSITIVE_INFINITY) {
      s = s.min(b.scalar(maxThreshold));
    }
    s = Guided.column(s, x0.rank());
    return prediction.withX0(x0.max(s.neg()).min(s).div(s));
  }

  private static Tensor column(Backend b, Tensor m, long j) {
    return b.wrap(b.tf().slice(m.op(), b.tf().constant(new long[] {0, j}), b.tf().constant(new long[] {-1, 1})));
  }
}
