package org.diffuse4j.solvers.flowmap;

import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.tensor.Tensor;

/**
 * The forward kernel from time u to a later time t: x_t = (α_t/α_u) x_u + √(σ_t² − (α_t/α_u)² σ_u²) z,
 * so x_t has the marginal of time t whenever x_u has that of u (DDPM's q(x_t | x_u); seed 001 §1.1).
 * Step k draws z from stream k + 1, the api's rule.
 */
final class Renoise {
  private Renoise() {}

  static Tensor forward(SamplingProblem problem, int k, Tensor y, double u, double t, double noiseScale) {
    Schedule sch = problem.schedule();
    double a = sch.alpha(t) / sch.alpha(u);
    double var = sch.sigma(t) * sch.sigma(t) - a * a * sch.sigma(u) * sch.sigma(u);
    double b = Math.sqrt(Math.max(0, var)) * noiseScale;
    Tensor out = y.times(a);
    return b > 0 ? out.plus(problem.noise().gaussian(k + 1L, y).times(b)) : out;
  }
}
