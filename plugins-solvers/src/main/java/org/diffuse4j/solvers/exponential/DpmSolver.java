package org.diffuse4j.solvers.exponential;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.solvers.LastStepToData;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Singlestep DPM-Solver-1/2/3 (Lu et al. 2022, Algorithms 1 and 2; noise prediction) and
 * DPM-Solver++(1/2/3S) (Lu et al. 2022b, Algorithm 1 and App.; data prediction). With z = h for
 * noise and z = −h for data prediction, κ = σ (noise) or α (data), the DDIM move from s to t
 * x_t = c_{st} x_s − κ_t(e^{z} − 1) m_s (c = α_t/α_s or σ_t/σ_s), φ̃₂(z) = (e^z − 1)/z − 1 and
 * φ̃₃ = φ̃₂/z − ½, Δ_i = m(u_i) − m_s at the stages λ_s + r_i h:
 * order 2 ({@code dpmsolver}) x_t = DDIM − κ_t (e^z − 1)/(2r₁) Δ₁, ({@code taylor}) − κ_t φ̃₂/r₁ Δ₁;
 * order 3: u₂ = DDIM(s→s₂) − κ_{s₂} (r₂/r₁) φ̃₂(r₂z) Δ₁, then ({@code dpmsolver}) x_t = DDIM − κ_t φ̃₂/r₂ Δ₂,
 * ({@code taylor}) − κ_t(φ̃₂ D₁ + φ̃₃ D₂) with D₁ = (r₂Δ₁/r₁ − r₁Δ₂/r₂)/(r₂ − r₁), D₂ = 2(Δ₂/r₂ − Δ₁/r₁)/(r₂ − r₁).
 *
 * <p>Per step (default): each grid step is one update of order p with p evaluations, stages at
 * λ_s + r₁h, λ_s + r₂h (the ratios r are recomputed from λ at the stage times actually used, so each
 * stage is an exact DDIM move). With {@code budget}, the grid's N steps are N model calls
 * (DPM-Solver-fast, the official {@code method='singlestep'}): they are grouped into updates of the
 * orders {@link #orders(int, int)} gives, each stage falling on a grid point inside its group (r from
 * λ there); each grid step then costs one call and its state is that stage's value. With
 * {@link Grouping#FIXED} the groups are exactly {@code order} grid steps (the official
 * {@code method='singlestep_fixed'} with N steps is this on the same kind of grid with ⌊N/order⌋·order
 * steps); a remainder of N mod order steps forms a last, lower-order group. A last step to σ = 0 is
 * x = α·x̂0 (1 evaluation).
 *
 * @param order 1, 2 or 3
 * @param dataPrediction DPM-Solver++ (x̂0) instead of DPM-Solver (ε̂)
 * @param taylor the Taylor form of the high-order terms instead of DPM-Solver's
 * @param r1 first intermediate point (0 = ½ at order 2, ⅓ at order 3)
 * @param r2 second intermediate point at order 3 (0 = ⅔)
 * @param grouping one update per grid step, or the grid's steps as the model-call budget grouped into updates
 */
public record DpmSolver(int order, boolean dataPrediction, boolean taylor, double r1, double r2, Grouping grouping)
    implements Solver {

  /** How grid steps make updates. */
  public enum Grouping {
    /** Each grid step is one update of order p with p calls. */
    PER_STEP,
    /** One call per grid step, grouped as DPM-Solver-fast splits a budget ({@link #orders(int, int)}). */
    SPLIT,
    /** One call per grid step, grouped into updates of exactly {@code order} steps ({@link #fixedOrders(int, int)}). */
    FIXED
  }

  /** DPM-Solver-p with noise prediction, DPM-Solver's form and its intermediate points, one update per step. */
  public DpmSolver(int order) {
    this(order, false, false, 0, 0, Grouping.PER_STEP);
  }

  public DpmSolver {
    if (grouping == null) {
      throw new IllegalArgumentException("dpm-solver needs a grouping (budget: false, true or fixed)");
    }
    if (order < 1 || order > 3) {
      throw new IllegalArgumentException("dpm-solver order must be 1, 2 or 3, got " + order);
    }
    r1 = r1 == 0 ? (order == 2 ? 0.5 : 1.0 / 3) : r1;
    r2 = r2 == 0 ? 2.0 / 3 : r2;
    if (!(r1 > 0 && r1 < 1) || !(r2 > 0 && r2 < 1) || (order == 3 && !(r1 < r2))) {
      throw new IllegalArgumentException(
          "dpm-solver needs 0 < r1 < r2 < 1, got r1=" + r1 + ", r2=" + r2 + "; set r1 and r2 in (0, 1) with r1 < r2");
    }
  }

  @Override
  public SolverTraits traits() {
    // with a budget, the official split ends in an order-1 update unless N ≡ 2 (mod 3) (order 3) or N is even (order 2)
    return switch (grouping) {
      case PER_STEP -> new SolverTraits(order, order, false, 0);
      case SPLIT -> new SolverTraits(Math.min(order, 2), 1, false, 3);
      case FIXED -> new SolverTraits(order, 1, false, 3);
    };
  }

  /** One call on a last step to σ = 0. */
  @Override
  public int evaluations(double[] times, Schedule schedule) {
    return LastStepToData.evaluations(this, times, schedule);
  }

  @Override
  public SolverState init(SamplingProblem problem) {
    Clock.requireFiniteStart(problem, "dpm-solver");
    return Solver.super.init(problem);
  }

  /**
   * The orders of the official split of {@code steps} model calls (DPM-Solver's
   * {@code get_orders_and_timesteps_for_singlestep_solver}): order 3, K = ⌊N/3⌋ + 1: N ≡ 0 (mod 3)
   * → [3]×(K−2) + [2, 1], ≡ 1 → [3]×(K−1) + [1], ≡ 2 → [3]×(K−1) + [2]; order 2: [2]×N/2, or
   * [2]×⌊N/2⌋ + [1] for odd N; order 1: [1]×N.
   */
  public static int[] orders(int steps, int order) {
    List<Integer> out = new ArrayList<>();
    if (order == 3) {
      int kk = steps / 3 + 1;
      int threes = steps % 3 == 0 ? kk - 2 : kk - 1;
      for (int i = 0; i < threes; i++) {
        out.add(3);
      }
      if (steps % 3 == 0) {
        out.add(2);
        out.add(1);
      } else {
        out.add(steps % 3);
      }
    } else if (order == 2) {
      for (int i = 0; i < steps / 2; i++) {
        out.add(2);
      }
      if (steps % 2 == 1) {
        out.add(1);
      }
    } else {
      for (int i = 0; i < steps; i++) {
        out.add(1);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The official {@code method='singlestep_fixed'} grouping of {@code steps} grid steps:
   * [order]×⌊N/order⌋, then [N mod order] when the order does not divide N.
   */
  public static int[] fixedOrders(int steps, int order) {
    int full = steps / order;
    int[] out = new int[full + (steps % order == 0 ? 0 : 1)];
    Arrays.fill(out, 0, full, order);
    if (steps % order != 0) {
      out[full] = steps % order;
    }
    return out;
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    Tensor x = state.x();
    if (Clock.endsAtData(problem, k)) {
      return state.next(problem.predict(x, k).x0().times(Clock.alpha(problem, k + 1)), 1);
    }
    return grouping == Grouping.PER_STEP ? fullStep(problem, state) : budgetStep(problem, state);
  }

  private Tensor target(SamplingProblem problem, Tensor x, double t) {
    var p = problem.predictAt(x, t);
    return dataPrediction ? p.x0() : p.eps();
  }

  private Tensor target(SamplingProblem problem, Tensor x, int k) {
    var p = problem.predict(x, k);
    return dataPrediction ? p.x0() : p.eps();
  }

  private SolverState fullStep(SamplingProblem problem, SolverState state) {
    int k = state.k();
    Tensor x = state.x();
    double s = problem.t(k);
    Tensor m0 = target(problem, x, k);
    double lambdaS = Clock.lambda(problem, k);
    double h = Clock.lambda(problem, k + 1) - lambdaS;
    double tT = problem.t(k + 1);
    Tensor xT;
    if (order == 1) {
      xT = ddim(problem, x, m0, s, tT, h);
    } else {
      double s1 = Clock.timeOfLambda(problem, lambdaS + r1 * h);
      double q1 = (problem.schedule().lambda(s1) - lambdaS) / h;
      Tensor d1 = target(problem, ddim(problem, x, m0, s, s1, q1 * h), s1).minus(m0);
      if (order == 2) {
        xT = second(problem, x, m0, s, tT, h, q1, d1);
      } else {
        double s2 = Clock.timeOfLambda(problem, lambdaS + r2 * h);
        double q2 = (problem.schedule().lambda(s2) - lambdaS) / h;
        Tensor d2 = target(problem, stageTwo(problem, x, m0, s, s2, h, q1, q2, d1), s2).minus(m0);
        xT = third(problem, x, m0, s, tT, h, q1, q2, d1, d2);
      }
    }
    return state.next(xT, order);
  }

  /**
   * One call per grid step. History while inside a group: x_s, m_s, then m(u₁) (oldest first).
   * The group structure is the official split (or the fixed grouping) of the steps before a last step to σ = 0.
   */
  private SolverState budgetStep(SamplingProblem problem, SolverState state) {
    int k = state.k();
    int n = problem.steps() - (Clock.endsAtData(problem, problem.steps() - 1) ? 1 : 0);
    int start = 0;
    int size = 1;
    for (int o : grouping == Grouping.FIXED ? fixedOrders(n, order) : orders(n, order)) {
      if (k < start + o) {
        size = o;
        break;
      }
      start += o;
    }
    int j = k - start;
    Tensor mK = target(problem, state.x(), k);
    List<Tensor> history = j == 0 ? List.of(state.x(), mK) : Clock.append(state.history(), mK);
    Tensor x = history.get(0);
    Tensor m0 = history.get(1);
    double s = problem.t(start);
    double lambdaS = Clock.lambda(problem, start);
    double h = Clock.lambda(problem, start + size) - lambdaS;
    double q1 = size > 1 ? (Clock.lambda(problem, start + 1) - lambdaS) / h : 0;
    double q2 = size > 2 ? (Clock.lambda(problem, start + 2) - lambdaS) / h : 0;
    double tNext = problem.t(k + 1);
    Tensor next;
    if (j == 0) {
      next = ddim(problem, x, m0, s, tNext, size == 1 ? h : q1 * h);
    } else if (j == 1) {
      Tensor d1 = mK.minus(m0);
      next = size == 2 ? second(problem, x, m0, s, tNext, h, q1, d1) : stageTwo(problem, x, m0, s, tNext, h, q1, q2, d1);
    } else {
      next = third(problem, x, m0, s, tNext, h, q1, q2, history.get(2).minus(m0), mK.minus(m0));
    }
    return state.next(next, j + 1 == size ? List.of() : history, 1, 3);
  }

  /** κ at time t: σ for noise, α for data prediction. */
  private double kappa(SamplingProblem p, double t) {
    return dataPrediction ? p.schedule().alpha(t) : p.schedule().sigma(t);
  }

  /** z = h (noise) or −h (data). */
  private double z(double h) {
    return dataPrediction ? -h : h;
  }

  /** φ̃₂(z) = (e^z − 1)/z − 1. */
  private static double phi2(double z) {
    return z * Phi.phi(2, z);
  }

  /** The DDIM move from s to t over λ-step h: c x − κ_t(e^z − 1) m_s. */
  private Tensor ddim(SamplingProblem p, Tensor x, Tensor m0, double s, double t, double h) {
    Schedule sc = p.schedule();
    double c = dataPrediction ? sc.sigma(t) / sc.sigma(s) : sc.alpha(t) / sc.alpha(s);
    return x.times(c).minus(m0.times(kappa(p, t) * Math.expm1(z(h))));
  }

  private Tensor second(SamplingProblem p, Tensor x, Tensor m0, double s, double t, double h, double q1, Tensor d1) {
    double zh = z(h);
    double coef = taylor ? phi2(zh) / q1 : Math.expm1(zh) / (2 * q1);
    return ddim(p, x, m0, s, t, h).minus(d1.times(kappa(p, t) * coef));
  }

  private Tensor stageTwo(SamplingProblem p, Tensor x, Tensor m0, double s, double s2, double h, double q1, double q2, Tensor d1) {
    return ddim(p, x, m0, s, s2, q2 * h).minus(d1.times(kappa(p, s2) * q2 / q1 * phi2(z(q2 * h))));
  }

  private Tensor third(SamplingProblem p, Tensor x, Tensor m0, double s, double t, double h, double q1, double q2,
      Tensor d1, Tensor d2) {
    double zh = z(h);
    double kt = kappa(p, t);
    Tensor base = ddim(p, x, m0, s, t, h);
    if (!taylor) {
      return base.minus(d2.times(kt * phi2(zh) / q2));
    }
    Tensor a = d1.div(q1);
    Tensor b = d2.div(q2);
    Tensor first = a.times(q2).minus(b.times(q1)).div(q2 - q1);
    Tensor secondDiff = b.minus(a).times(2 / (q2 - q1));
    double phi3 = zh * Phi.phi(3, zh);
    return base.minus(first.times(kt * phi2(zh))).minus(secondDiff.times(kt * phi3));
  }
}
