package org.diffuse4j.solvers;

import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Predictor–corrector sampling (Song et al. 2021, Algorithms 2–3; seed 003 §4.2): an
 * Euler–Maruyama step of the reverse SDE to t[k+1], then {@code correctorSteps} Langevin steps
 * x ← x + ε s + √(2ε) z at t[k+1] targeting q_{t[k+1]}. Song et al. set the step from the
 * signal-to-noise ratio r as ε = 2 (r ‖z‖ / ‖s‖)² with norms averaged over the batch; here the
 * norms take their typical values ‖z‖ ≈ √d and ‖s‖ ≈ √d/σ_t (the score of noise of scale σ_t),
 * giving ε = 2 (r σ_t)²: the same step where the noise dominates, independent of the batch, and
 * bounded where the score vanishes (a per-sample ‖s‖ sends ε to infinity between modes). No
 * correction at σ = 0. Weak order 1 (the corrector's own bias is O(r² σ²)); 1 + corrector_steps
 * calls per step.
 *
 * @param snr target signal-to-noise ratio r of the Langevin step
 * @param correctorSteps Langevin steps per grid step
 */
public record PredictorCorrector(double snr, int correctorSteps) implements Solver {

  public PredictorCorrector {
    if (!(snr > 0) || correctorSteps < 0) {
      throw new IllegalArgumentException("pc needs snr > 0 and corrector_steps >= 0, got " + snr + ", " + correctorSteps);
    }
  }

  @Override
  public SolverTraits traits() {
    return new SolverTraits(1, 1 + correctorSteps, true, 0);
  }

  /** One call on a last step to σ = 0. */
  @Override
  public int evaluations(double[] times, Schedule schedule) {
    return LastStepToData.evaluations(this, times, schedule);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    SolverState predicted = new EulerMaruyama().step(problem, state);
    double s = problem.t(k + 1);
    if (problem.schedule().sigma(s) == 0) {
      return predicted;
    }
    Tensor x = predicted.x();
    double sigma = problem.schedule().sigma(s);
    double eps = 2 * (snr * sigma) * (snr * sigma);
    for (int j = 1; j <= correctorSteps; j++) {
      Tensor score = problem.predictAt(x, s).score();
      Tensor z = NoiseStreams.gaussian(problem, k, j, x);
      x = x.plus(score.times(eps)).plus(z.times(Math.sqrt(2 * eps)));
    }
    return new SolverState(predicted.k(), x, predicted.history(), predicted.nfe() + correctorSteps);
  }
}
