package org.diffuse4j.api.tensor;

/** Floating-point precision of a graph: float32 by default, float64 for analytic models and precision studies. */
public enum Precision {
  /** 32-bit floats. */
  FLOAT32,
  /** 64-bit floats. */
  FLOAT64
}
