package org.diffuse4j.solvers.exponential;

import java.util.List;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Multistep exponential integrator in λ of order p (DPM-Solver multistep, Lu et al. 2022b §4 and
 * Appendix; DPM-Solver++(3M)): the model output f (ε̂ or x̂0) is replaced by the Lagrange polynomial
 * through its last p values at λ_k, λ_{k−1}, … and the variation-of-constants integral is done
 * exactly (see {@link Lagrange#exponential}):
 * <ul>
 *   <li>noise prediction (DPM-Solver, eq. 3.4): x_t = (α_t/α_s) x_s − σ_t Σ_j w_j ε̂_j,
 *       w_j = ∫₀ʰ e^{h−u} ℓ_j(u) du;
 *   <li>data prediction (DPM-Solver++, eq. 9): x_t = (σ_t/σ_s) x_s + α_t Σ_j w_j x̂0_j,
 *       w_j = ∫₀ʰ e^{−(h−u)} ℓ_j(u) du.
 * </ul>
 * <b>Which variable the polynomial lives in (data prediction).</b> Where the λ steps are unequal,
 * x̂0 is interpolated as a polynomial in the schedule's time t instead of λ (the weights are then
 * the same integral by quadrature, {@link Lagrange#exponential(double[],
 * java.util.function.DoubleUnaryOperator, double, double)}). Both are order p. The reason is the data
 * end: there x̂0 ≈ a + b·e^{−2λ} (the posterior's correction decays like σ²/α²), which a polynomial
 * in λ extrapolates badly over the large, growing λ steps that grids uniform in t, quadratic in t or
 * Karras' take near σ → 0 (on a t-uniform VP grid to t = 10⁻³ the last λ step is still 0.7 at
 * 400 steps, with ratio 2 to the one before); in t (≈ σ² there) it is close to linear. On a
 * t-uniform grid this makes DPM-Solver++(3M) 10–70× closer to the exact ODE solution at 10–800
 * steps (docs/solvers.md). On λ-uniform grids the closed-form λ weights are kept. Noise prediction
 * always uses λ (ε̂ ∝ σ near data is not smooth in t), and so does {@code res-multistep}
 * ({@code interpolateInTime = false}), which is defined by its λ coefficients.
 *
 * <p>The first steps use the history available (order 1, 2, …); with {@code lower_order_final}
 * the last steps of a short run lower it again ({@link LowerOrderFinal}). 1 evaluation per step,
 * history p − 1. Declared order p, measured on λ-uniform grids (docs/solvers.md). The lower-order
 * first steps have local error O(e^{λ₀} h²) (the model output's λ-derivatives carry a factor
 * α/σ = e^{λ₀} at the grid's start), which would cap the global order at 2 only once h² e^{λ₀}
 * exceeds the O(h^p) error, far beyond any step count used. A last step to σ = 0 is α·x̂0.
 */
public record ExponentialAdams(
    String name, int order, boolean dataPrediction, LowerOrderFinal lowerOrderFinal, boolean interpolateInTime)
    implements Solver {

  public ExponentialAdams {
    if (order < 1 || order > 3) {
      throw new IllegalArgumentException(name + " order must be 1, 2 or 3, got " + order);
    }
  }

  /** With the default {@code lower_order_final} rule; data prediction interpolates in t where λ steps are unequal. */
  public ExponentialAdams(String name, int order, boolean dataPrediction) {
    this(name, order, dataPrediction, LowerOrderFinal.BELOW_10, dataPrediction);
  }

  @Override
  public SolverTraits traits() {
    return new SolverTraits(order, 1, false, order - 1);
  }

  @Override
  public SolverState init(SamplingProblem problem) {
    Clock.requireFiniteStart(problem, name);
    return Solver.super.init(problem);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    Prediction pred = problem.predict(state.x(), k);
    List<Tensor> history = Clock.append(state.history(), dataPrediction ? pred.x0() : pred.eps());
    if (Clock.endsAtData(problem, k)) {
      return state.next(pred.x0().times(Clock.alpha(problem, k + 1)), history, 1, order - 1);
    }
    int p = lowerOrderFinal.cap(Math.min(order, history.size()), k, problem.steps());
    double lambdaS = Clock.lambda(problem, k);
    double h = Clock.lambda(problem, k + 1) - lambdaS;
    double[] nodes = new double[p];
    for (int j = 0; j < p; j++) {
      nodes[j] = Clock.lambda(problem, k - j) - lambdaS;
    }
    Tensor xT;
    if (dataPrediction) {
      double[] w = interpolateInTime && inTime(problem, k, p, nodes, h)
          ? Lagrange.exponential(times(problem, k, p), u -> problem.schedule().timeOfLambda(lambdaS + u), h, -h)
          : Lagrange.exponential(nodes, h, -h);
      xT = state.x().times(Clock.sigma(problem, k + 1) / Clock.sigma(problem, k))
          .plus(Clock.combineNewestFirst(history, w).times(Clock.alpha(problem, k + 1)));
    } else {
      double[] w = Lagrange.exponential(nodes, h, h);
      xT = state.x().times(Clock.alpha(problem, k + 1) / Clock.alpha(problem, k))
          .minus(Clock.combineNewestFirst(history, w).times(Clock.sigma(problem, k + 1)));
    }
    return state.next(xT, history, 1, order - 1);
  }

  /**
   * Whether step k interpolates in t: p ≥ 2, the λ steps through the nodes and the target are not
   * equal (relative 10⁻⁹), and every time involved lies in [tMin, tMax], where t(λ) is defined.
   */
  static boolean inTime(SamplingProblem problem, int k, int p, double[] nodes, double h) {
    if (p < 2) {
      return false;
    }
    boolean equal = true;
    double prev = h;
    for (int j = 1; j < p; j++) {
      double step = nodes[j - 1] - nodes[j];
      equal &= Math.abs(step - prev) <= 1e-9 * Math.abs(h);
      prev = step;
    }
    if (equal) {
      return false;
    }
    Schedule s = problem.schedule();
    for (int j = -1; j < p; j++) {
      double t = problem.t(k - j);
      if (!(t >= s.tMin() && t <= s.tMax())) {
        return false;
      }
    }
    return true;
  }

  private static double[] times(SamplingProblem problem, int k, int p) {
    double[] t = new double[p];
    for (int j = 0; j < p; j++) {
      t[j] = problem.t(k - j);
    }
    return t;
  }
}
