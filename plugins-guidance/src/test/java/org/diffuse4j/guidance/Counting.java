package org.diffuse4j.guidance;

import java.util.List;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.tensor.Tensor;

/** Counts how a guidance calls its model while the graph is built (test-only mutable state). */
final class Counting implements ConditionalDenoiser {
  final ConditionalDenoiser inner;
  int predictCalls;
  int predictAllCalls;
  int conditionsEvaluated;

  Counting(ConditionalDenoiser inner) {
    this.inner = inner;
  }

  @Override
  public Prediction predict(Tensor x, PathPoint p, Condition c) {
    predictCalls++;
    conditionsEvaluated++;
    return inner.predict(x, p, c);
  }

  @Override
  public List<Prediction> predictAll(Tensor x, PathPoint p, List<Condition> conditions) {
    predictAllCalls++;
    conditionsEvaluated += conditions.size();
    return conditions.stream().map(c -> inner.predict(x, p, c)).toList();
  }
}
