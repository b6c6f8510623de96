package org.diffuse4j.solvers.flowmap;

import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Latent-consistency sampling (Luo et al. 2023, Latent Consistency Models, Alg. 3; diffusers'
 * {@code LCMScheduler}) on an ordinary ε-, x0- or v-model: the boundary scalings of a consistency
 * model are applied to the model's x̂0 at the discrete timestep i = N t − 1 (t = (i + 1)/N on the
 * discrete schedule), τ = timestep_scaling·i: denoised = c_out x̂0 + c_skip x with
 * c_skip = σ_d²/(τ² + σ_d²), c_out = τ/√(τ² + σ_d²); then x_{k+1} = α_{k+1} denoised + σ_{k+1} z with
 * fresh noise, and the last step returns denoised (the grid should end at t = 0).
 *
 * @param timestepScaling diffusers' {@code timestep_scaling} (10)
 * @param trainSteps N, the discrete schedule's table length (1000)
 * @param sigmaData σ_d of the scalings (0.5)
 */
public record Lcm(double timestepScaling, int trainSteps, double sigmaData) implements Solver {

  public Lcm {
    if (!(timestepScaling >= 0) || trainSteps < 1 || !(sigmaData > 0)) {
      throw new IllegalArgumentException("lcm needs timestep_scaling >= 0, train_steps >= 1 and sigma_data > 0, got "
          + timestepScaling + ", " + trainSteps + ", " + sigmaData);
    }
  }

  @Override
  public SolverTraits traits() {
    return new SolverTraits(1, 1, true, 0);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    double t = problem.t(k);
    double tau = timestepScaling * Math.max(0, Math.round(t * trainSteps) - 1);
    double cSkip = sigmaData * sigmaData / (tau * tau + sigmaData * sigmaData);
    double cOut = tau / Math.sqrt(tau * tau + sigmaData * sigmaData);
    Tensor x = state.x();
    Tensor denoised = problem.predict(x, k).x0().times(cOut).plus(x.times(cSkip));
    if (k + 1 == problem.steps()) {
      return state.next(denoised, 1);
    }
    Schedule sch = problem.schedule();
    double next = problem.t(k + 1);
    Tensor z = problem.noise().gaussian(k + 1L, x);
    return state.next(denoised.times(sch.alpha(next)).plus(z.times(sch.sigma(next))), 1);
  }
}
