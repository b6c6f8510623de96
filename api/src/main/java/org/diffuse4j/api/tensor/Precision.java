package org.diffuse4j.api.tensor;

/** Floating-point precision of a graph: float32 by default, float64 for analytic models and precision studies. */
public enum Precision {
  FLOAT32,
  FLOAT64
}
