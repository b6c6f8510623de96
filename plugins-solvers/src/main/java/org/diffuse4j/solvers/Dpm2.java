package org.diffuse4j.solvers;

import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * DPM-Solver-2 as k-diffusion writes it ({@code sample_dpm_2}, {@code sample_dpm_2_ancestral};
 * Karras et al. 2022 §3 "DPM2"), in the chart y = x/α, σ̂ = σ/α where dy/dσ̂ = ε̂: a midpoint step
 * whose midpoint is geometric in σ̂. From σ̂_s to a target σ̂_d:
 * σ̂_m = √(σ̂_s σ̂_d), y_m = y + (σ̂_m − σ̂_s) ε̂(y), y' = y + (σ̂_d − σ̂_s) ε̂(y_m).
 * With η = 0 the target is σ̂_t (order 2, 2 calls; a last step to σ = 0 is one Euler call, y' = x̂0);
 * with η &gt; 0 ({@code dpm-2-ancestral}) the target is σ_down and σ_up·s_noise·ξ is added, split as in
 * {@link EulerAncestral} (weak order 1). Noise: stream k + 1.
 *
 * @param eta ancestral noise fraction η ≥ 0
 * @param sNoise noise inflation (1 = exact)
 */
public record Dpm2(double eta, double sNoise) implements Solver {

  public Dpm2 {
    if (!(eta >= 0) || !(sNoise >= 0)) {
      throw new IllegalArgumentException("dpm-2 needs eta >= 0 and s_noise >= 0, got eta=" + eta + ", s_noise=" + sNoise);
    }
  }

  @Override
  public SolverTraits traits() {
    boolean stochastic = eta > 0 && sNoise > 0;
    return new SolverTraits(stochastic ? 1 : 2, 2, stochastic, 0);
  }

  /** One call on a last step to σ = 0. */
  @Override
  public int evaluations(double[] times, Schedule schedule) {
    return LastStepToData.evaluations(this, times, schedule);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    Schedule sch = problem.schedule();
    double t = problem.t(k);
    double s = problem.t(k + 1);
    double from = sch.sigmaOverAlpha(t);
    double to = sch.sigmaOverAlpha(s);
    AncestralStep split = AncestralStep.of(eta, from, to);
    double up = split.up();
    double down = split.down();
    Tensor y = state.x().div(sch.alpha(t));
    Tensor d = problem.predict(state.x(), k).eps();
    Tensor next;
    int calls = 1;
    if (down == 0) {
      next = y.plus(d.times(down - from));
    } else {
      double mid = Math.sqrt(from * down);
      double tMid = sch.timeOfLambda(-Math.log(mid));
      Tensor yMid = y.plus(d.times(mid - from));
      Tensor dMid = problem.predictAt(yMid.times(sch.alpha(tMid)), tMid).eps();
      next = y.plus(dMid.times(down - from));
      calls = 2;
    }
    if (up > 0 && sNoise > 0) {
      next = next.plus(NoiseStreams.gaussian(problem, k, 0, y).times(up * sNoise));
    }
    return state.next(next.times(sch.alpha(s)), calls);
  }
}
