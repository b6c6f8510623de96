package org.diffuse4j.api.analytic;

import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.tensor.Tensor;

/**
 * A {@link Denoiser} that counts its calls. In graph mode every call builds one model evaluation
 * into the graph, so the count after building a sampler is the number of evaluations one run
 * performs. Not thread-safe; one per run.
 */
public final class CountingDenoiser implements Denoiser {
  private final Denoiser inner;
  private int calls;

  /**
   * Counts the calls made to {@code inner}.
   *
   * @param inner the denoiser to delegate every call to
   */
  public CountingDenoiser(Denoiser inner) {
    this.inner = inner;
  }

  @Override
  public Prediction predict(Tensor x, PathPoint p) {
    calls++;
    return inner.predict(x, p);
  }

  @Override
  public int evaluationsPerCall() {
    return inner.evaluationsPerCall();
  }

  /**
   * Calls so far.
   *
   * @return the number of {@code predict} calls made so far
   */
  public int calls() {
    return calls;
  }
}
