package org.diffuse4j.solvers;

import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Noise stream numbering shared by the stochastic solvers: stream 0 is the initial noise, step k's
 * main draw is stream k + 1 (the api's rule), and a step that needs more draws (a predictor–corrector
 * step with Langevin corrections) takes stream (k + 1) + j·2³² for its j-th extra draw, so that no
 * two draws of a run ever share a stream.
 */
final class NoiseStreams {
  private NoiseStreams() {}

  /** Draw {@code j} (0 = the main draw) of step {@code k}. */
  static long stream(int k, int j) {
    return (k + 1L) + ((long) j << 32);
  }

  /** Standard normal noise shaped like {@code like} for draw {@code j} of step {@code k}. */
  static Tensor gaussian(SamplingProblem problem, int k, int j, Tensor like) {
    return problem.noise().gaussian(stream(k, j), like);
  }
}
