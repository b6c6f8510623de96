package org.diffuse4j.guidance;

import java.util.function.BiFunction;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.tensor.Tensor;

/**
 * A guided model: a function (x, t) ↦ prediction with its declared network cost, plus the
 * combinations of predictions the methods share. Every conversion here is the affine map between
 * (x̂0, ε̂) and another target at fixed (x, t), from x = α x̂0 + σ ε̂ (seed 003, eq. 9).
 */
record Guided(String name, int evaluations, BiFunction<Tensor, PathPoint, Prediction> fn)
    implements Denoiser {

  @Override
  public Prediction predict(Tensor x, PathPoint p) {
    return fn.apply(x, p);
  }

  @Override
  public int evaluationsPerCall() {
    return evaluations;
  }

  @Override
  public String toString() {
    return name + " (" + evaluations + " evaluation" + (evaluations == 1 ? "" : "s") + " per call)";
  }

  /** a + w·(b − a) on (x̂0, ε̂), with a tensor weight (scalar or per-sample column). */
  static Prediction lerp(Prediction a, Prediction b, Tensor w) {
    return new Prediction(
        a.x(),
        a.point(),
        a.x0().plus(b.x0().minus(a.x0()).times(w)),
        a.eps().plus(b.eps().minus(a.eps()).times(w)));
  }

  /** Per-sample reduction kept as a column [B, 1, …, 1] so that it broadcasts against x. */
  static Tensor column(Tensor perSample, int rank) {
    long[] shape = new long[rank];
    java.util.Arrays.fill(shape, 1);
    shape[0] = -1;
    return perSample.reshape(shape);
  }

  /** Per-sample population standard deviation over every axis but the first, as a column. */
  static Tensor std(Tensor t) {
    Tensor mean = column(t.meanPerSample(), t.rank());
    return column(t.minus(mean).square().meanPerSample().sqrt(), t.rank());
  }

  /** Per-sample inner product ⟨a, b⟩ over every axis but the first, as a column. */
  static Tensor dot(Tensor a, Tensor b) {
    return column(a.times(b).sumPerSample(), a.rank());
  }
}
