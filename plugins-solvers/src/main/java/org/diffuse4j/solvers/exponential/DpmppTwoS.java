package org.diffuse4j.solvers.exponential;

import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.solvers.AncestralStep;
import org.diffuse4j.solvers.LastStepToData;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * DPM-Solver++(2S) (Lu et al. 2022b, Algorithm 1 with r = ½), data prediction, singlestep:
 * u = (σ_m/σ_s) x_s − α_m(e^{−h/2} − 1) x̂0_s at λ_m = λ_s + h/2, then
 * x_t = (σ_t/σ_s) x_s − α_t(e^{−h} − 1) x̂0(u, t_m) (for r = ½ the combination
 * (1 − 1/2r) x̂0_s + (1/2r) x̂0_m is x̂0_m). 2 evaluations per step, order 2.
 * A last step to σ = 0 is x = α·x̂0 (1 evaluation). With η &gt; 0 ({@code dpmpp-2s-ancestral}) each
 * step goes to a lower noise level σ_down and adds fresh noise σ_up (weak order 1).
 */
public record DpmppTwoS(double eta, double sNoise) implements Solver {

  /** The deterministic {@code dpmpp-2s}. */
  public DpmppTwoS() {
    this(0, 1);
  }

  public DpmppTwoS {
    if (!(eta >= 0) || !(sNoise >= 0)) {
      throw new IllegalArgumentException("dpmpp-2s-ancestral needs eta >= 0 and s_noise >= 0, got eta=" + eta + ", s_noise=" + sNoise);
    }
  }

  private boolean ancestral() {
    return eta > 0 && sNoise > 0;
  }

  @Override
  public SolverTraits traits() {
    return ancestral() ? new SolverTraits(1, 2, true, 0) : new SolverTraits(2, 2, false, 0);
  }

  /** One call on a last step to σ = 0. */
  @Override
  public int evaluations(double[] times, Schedule schedule) {
    return LastStepToData.evaluations(this, times, schedule);
  }

  @Override
  public SolverState init(SamplingProblem problem) {
    Clock.requireFiniteStart(problem, "dpmpp-2s");
    return Solver.super.init(problem);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    Tensor x = state.x();
    Prediction p0 = problem.predict(x, k);
    double alphaT = Clock.alpha(problem, k + 1);
    if (Clock.endsAtData(problem, k)) {
      return state.next(p0.x0().times(alphaT), 1);
    }
    if (ancestral()) {
      return ancestralStep(problem, state, p0.x0());
    }
    double lambdaS = Clock.lambda(problem, k);
    double h = Clock.lambda(problem, k + 1) - lambdaS;
    double sigmaS = Clock.sigma(problem, k);
    double tM = Clock.timeOfLambda(problem, lambdaS + h / 2);
    double hM = problem.schedule().lambda(tM) - lambdaS;
    Tensor u = x.times(problem.schedule().sigma(tM) / sigmaS)
        .minus(p0.x0().times(problem.schedule().alpha(tM) * Math.expm1(-hM)));
    Tensor d = problem.predictAt(u, tM).x0();
    Tensor xT = x.times(Clock.sigma(problem, k + 1) / sigmaS).minus(d.times(alphaT * Math.expm1(-h)));
    return state.next(xT, 2);
  }

  /**
   * k-diffusion's {@code sample_dpmpp_2s_ancestral} in y = x/α, ρ = σ/α: split ρ_t into σ_up and
   * σ_down as {@code euler-ancestral} does, take the 2S step to ρ = σ_down (λ_d = −log σ_down), add
   * σ_up·s_noise·ξ (stream k + 1); x_t = α_t y.
   */
  private SolverState ancestralStep(SamplingProblem problem, SolverState state, Tensor x0) {
    int k = state.k();
    double from = Clock.rho(problem, k);
    double to = Clock.rho(problem, k + 1);
    AncestralStep split = AncestralStep.of(eta, from, to);
    double up = split.up();
    double down = split.down();
    Tensor y = state.x().div(Clock.alpha(problem, k));
    if (down == 0) {
      y = x0;
    } else {
      double lambdaS = Clock.lambda(problem, k);
      double h = -Math.log(down) - lambdaS;
      double tM = Clock.timeOfLambda(problem, lambdaS + h / 2);
      Tensor yM = y.times(Math.exp(-h / 2)).minus(x0.times(Math.expm1(-h / 2)));
      Tensor x0M = problem.predictAt(yM.times(problem.schedule().alpha(tM)), tM).x0();
      y = y.times(Math.exp(-h)).minus(x0M.times(Math.expm1(-h)));
    }
    y = y.plus(problem.noise().gaussian(Clock.stream(k, 0), state.x()).times(up * sNoise));
    return state.next(y.times(Clock.alpha(problem, k + 1)), down == 0 ? 1 : 2);
  }
}
