package org.diffuse4j.solvers.exponential;

import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.tensor.Tensor;

/**
 * The schedule read at grid points as Java doubles: α, σ, λ = log(α/σ) (DPM-Solver's clock) and
 * ρ = σ/α (DDIM's clock, seed 003 eq. 49–52), plus the few tensor chores the solvers share.
 *
 * <p>Ends of the grid: a grid must start where α &gt; 0 (λ, ρ finite; every schedule's tMax
 * guarantees it). A grid may end where σ = 0 (λ = +∞): λ-clock methods then take their last step
 * as the Tweedie read-out x = α·x̂0 of the current model output (seed 003 §4.3 corollary b), the
 * limit of every exponential integrator as h → ∞ at first order.
 */
final class Clock {
  private Clock() {}

  static double alpha(SamplingProblem p, int k) {
    return p.schedule().alpha(p.t(k));
  }

  static double sigma(SamplingProblem p, int k) {
    return p.schedule().sigma(p.t(k));
  }

  /** λ_k = log(α/σ) at grid time k; +∞ where σ = 0. */
  static double lambda(SamplingProblem p, int k) {
    return sigma(p, k) == 0 ? Double.POSITIVE_INFINITY : p.schedule().lambda(p.t(k));
  }

  /** ρ_k = σ/α at grid time k. */
  static double rho(SamplingProblem p, int k) {
    return sigma(p, k) / alpha(p, k);
  }

  /** Time at which λ takes the given (finite) value. */
  static double timeOfLambda(SamplingProblem p, double lambda) {
    return p.schedule().timeOfLambda(lambda);
  }

  /** Whether step k lands where σ = 0, so a λ-clock method finishes with x = α·x̂0. */
  static boolean endsAtData(SamplingProblem p, int k) {
    return Double.isInfinite(lambda(p, k + 1));
  }

  /** Fails clearly if the grid starts where α = 0 or σ = 0 (λ or ρ infinite). */
  static void requireFiniteStart(SamplingProblem p, String solver) {
    Schedule s = p.schedule();
    double t0 = p.t(0);
    if (!(s.alpha(t0) > 0) || !(s.sigma(t0) > 0)) {
      throw new IllegalArgumentException(
          solver + " needs α > 0 and σ > 0 at the grid's first time t=" + t0 + " (α=" + s.alpha(t0)
              + ", σ=" + s.sigma(t0) + "); start the grid at or below the schedule's tMax=" + s.tMax());
    }
  }

  /** Noise stream of the j-th draw in step k: k + 1 for the first (the api's convention), then 2³² apart. */
  static long stream(int k, int j) {
    return (k + 1L) + ((long) j << 32);
  }

  /** The list with one more element at the end (histories are oldest first, newest last). */
  static List<Tensor> append(List<Tensor> history, Tensor newest) {
    List<Tensor> out = new ArrayList<>(history);
    out.add(newest);
    return out;
  }

  /** The j-th newest entry (0 = newest). */
  static Tensor back(List<Tensor> history, int j) {
    return history.get(history.size() - 1 - j);
  }

  /** Σ_j w_j f_j with f_j the j-th newest history entry. */
  static Tensor combineNewestFirst(List<Tensor> history, double[] w) {
    Tensor sum = back(history, 0).times(w[0]);
    for (int j = 1; j < w.length; j++) {
      sum = sum.plus(back(history, j).times(w[j]));
    }
    return sum;
  }
}
