package org.diffuse4j.solvers;

import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * DDPM ancestral sampling (Ho et al. 2020, eq. 6–7; Kingma et al. 2021, eq. 33 for arbitrary
 * times): from t to s &lt; t draw x_s ~ q(x_s | x_t, x0 = x̂0), the Gaussian with
 * α_{t|s} = α_t/α_s, σ²_{t|s} = σ_t² − α²_{t|s} σ_s²,
 * mean = (α_s σ²_{t|s}/σ_t²) x̂0 + (α_{t|s} σ_s²/σ_t²) x_t and variance σ²_{t|s} σ_s²/σ_t².
 * Weak order 1, one model call per step; no noise is added on a final step to σ = 0.
 */
public record AncestralDdpm() implements Solver {

  @Override
  public SolverTraits traits() {
    return new SolverTraits(1, 1, true, 0);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    Schedule sch = problem.schedule();
    double t = problem.t(k);
    double s = problem.t(k + 1);
    double at = sch.alpha(t), st = sch.sigma(t), as = sch.alpha(s), ss = sch.sigma(s);
    double ats = at / as;
    double s2ts = st * st - ats * ats * ss * ss;
    Tensor x = state.x();
    Prediction p = problem.predict(x, k);
    Tensor mean = p.x0().times(as * s2ts / (st * st)).plus(x.times(ats * ss * ss / (st * st)));
    double var = s2ts * ss * ss / (st * st);
    if (var > 0) {
      mean = mean.plus(NoiseStreams.gaussian(problem, k, 0, x).times(Math.sqrt(var)));
    }
    return state.next(mean, 1);
  }
}
