package org.diffuse4j.solvers.flowmap;

import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * TCD's strategic stochastic sampling (Zheng et al. 2024, Trajectory Consistency Distillation, §3.4,
 * eq. 17), the same as CTM's γ-sampling (Kim et al. 2024, Alg. 2): from t_k jump to
 * u = (1 − γ) t_{k+1}, y = G(x_k, t_k, u), then noise y forward from u to t_{k+1} ({@link Renoise}).
 * γ = 0 is the deterministic chain, γ = 1 jumps to t = 0 and re-noises (multistep consistency).
 * The last step jumps to t_N without noise. γ is the fraction of the way to data the jump
 * overshoots; it is not DDIM's η, which scales the posterior variance of a step that lands on
 * t_{k+1}.
 *
 * <p>With {@code trainSteps} N &gt; 0 the overshoot is rounded as diffusers' {@code TCDScheduler}
 * does on the discrete schedule (timestep i at t = (i + 1)/N): u's index is ⌊(1 − γ)·i_{k+1}⌋.
 *
 * @param gamma γ ∈ [0, 1]
 * @param trainSteps N of a discrete schedule to round u on, or 0 for the continuous rule
 */
public record Tcd(double gamma, int trainSteps) implements Solver {

  public Tcd {
    if (!(gamma >= 0 && gamma <= 1) || trainSteps < 0) {
      throw new IllegalArgumentException("tcd needs 0 <= gamma <= 1 and train_steps >= 0, got " + gamma + ", " + trainSteps);
    }
  }

  @Override
  public SolverTraits traits() {
    return new SolverTraits(1, 1, gamma > 0, 0);
  }

  /** The jump target u for a step ending at {@code next}. */
  double target(double next) {
    if (trainSteps == 0) {
      return (1 - gamma) * next;
    }
    long i = Math.round(next * trainSteps) - 1;
    return (Math.floor((1 - gamma) * i) + 1) / trainSteps;
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    double next = problem.t(k + 1);
    boolean last = k + 1 == problem.steps();
    double u = last ? next : Math.min(next, target(next));
    Tensor y = problem.jump(state.x(), problem.t(k), u);
    return state.next(last || u == next ? y : Renoise.forward(problem, k, y, u, next, 1), 1);
  }
}
