package org.diffuse4j.solvers.exponential;

import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.solvers.LastStepToData;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.SwitchCond;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Adaptive DPM-Solver-12 / 23 (Lu et al. 2022, DPM-Solver, §4.2 and Alg. 4; as k-diffusion's
 * {@code DPMSolver.dpm_solver_adaptive} with its default I-controller), built as one graph. In the
 * chart y = x/α, λ = log(α/σ), a trial from λ_s to λ_t = min(λ_end, λ_s + h) computes the
 * noise-prediction DPM-Solver-2 (r₁ = ⅓) and -3 (r₁ = ⅓, r₂ = ⅔) results y_low, y_high (3 calls;
 * order 2: DPM-Solver-1 and -2, 2 calls), the error E = RMS((y_low − y_high)/δ), δ = max(atol,
 * rtol·max(|y_low|, |y_prev|)), and k-diffusion's PID step-size controller ({@code PIDStepSizeController};
 * Söderlind 2003, digital filters in adaptive time-stepping): with ε_n = 1/(E_n + 10⁻⁸) for the current
 * trial and ε_{n−1}, ε_{n−2} for the last two accepted ones (all three = ε_n on the first trial), the
 * factor f = 1 + atan(ε_n^{β₁} ε_{n−1}^{β₂} ε_{n−2}^{β₃} − 1) with β₁ = (p + i + d)/order, β₂ = −(p + 2d)/order,
 * β₃ = d/order. It accepts when f ≥ accept_safety (then y_prev = y_low, y = y_high, and the history
 * shifts) and always sets h ← f·h, starting at h_init in each grid interval. The default p = d = 0,
 * i = 1 is the I-controller f = 1 + atan(E^{−1/order} − 1).
 *
 * <p><b>In the graph.</b> Every row has its own λ, h and accept decisions (per-sample times, so rows
 * do not depend on their batch, unlike a batch-wide norm), and the loop is unrolled to
 * {@code maxTrials} trials; rows that have reached λ_end pass through the remaining trials unchanged.
 * A row still short of λ_end after them takes one DPM-Solver-3 (-2) step to it. The model is called
 * at data-dependent times, so the schedule is tabulated on the interval (nodes every 0.01 in λ at
 * most) and read in the graph by cubic Hermite interpolation of t(λ) and log α(λ) with their exact
 * λ-derivatives (σ = α e^{−λ} exactly; α̇, σ̇ from finite-difference slopes). The run stops once
 * every row has reached λ_end, and skips the closing step when no row needs it: on an eager backend
 * the loop breaks; in a graph each trial is gated by a Switch/Merge pair on "some row is active"
 * ({@code Gate}), so the gated-off trials' model calls do not run and a graph spends the calls an
 * eager run spends, with the same values. The declared count ({@code traits}, {@code evaluations})
 * stays the budget, (maxTrials + 1)·order per interval, since the calls spent are known only after
 * the run (an eager run's {@link SolverState#nfe} counts them). A last interval to σ = 0 is α·x̂0.
 *
 * @param order 2 (DPM-Solver-12) or 3 (DPM-Solver-23)
 * @param rtol relative tolerance
 * @param atol absolute tolerance
 * @param hInit first trial step in λ
 * @param maxTrials trials per grid interval
 * @param pcoeff proportional coefficient p of the PID controller
 * @param icoeff integral coefficient i
 * @param dcoeff derivative coefficient d
 * @param acceptSafety smallest factor f that accepts a trial
 */
public record DpmAdaptive(int order, double rtol, double atol, double hInit, int maxTrials,
    double pcoeff, double icoeff, double dcoeff, double acceptSafety) implements Solver {

  /** Small guard of k-diffusion's controller: ε = 1/(E + EPS). */
  static final double EPS = 1e-8;

  /** Largest spacing in λ of the schedule table. */
  static final double TABLE_STEP = 0.01;

  public DpmAdaptive {
    if (order != 2 && order != 3) {
      throw new IllegalArgumentException("dpm-adaptive order must be 2 or 3, got " + order);
    }
    if (!(rtol > 0) || !(atol > 0) || !(hInit > 0) || maxTrials < 1) {
      throw new IllegalArgumentException("dpm-adaptive needs rtol > 0, atol > 0, h_init > 0 and max_trials >= 1, got "
          + rtol + ", " + atol + ", " + hInit + ", " + maxTrials);
    }
    if (!Double.isFinite(pcoeff) || !Double.isFinite(icoeff) || !Double.isFinite(dcoeff) || !(acceptSafety > 0)) {
      throw new IllegalArgumentException("dpm-adaptive needs finite pcoeff, icoeff, dcoeff and accept_safety > 0, got "
          + pcoeff + ", " + icoeff + ", " + dcoeff + ", " + acceptSafety);
    }
  }

  /** k-diffusion's default controller: I-controller (p = d = 0, i = 1), accept_safety 0.81. */
  public DpmAdaptive(int order, double rtol, double atol, double hInit, int maxTrials) {
    this(order, rtol, atol, hInit, maxTrials, 0, 1, 0, 0.81);
  }

  @Override
  public SolverTraits traits() {
    return new SolverTraits(order, (maxTrials + 1) * order, false, 0);
  }

  /** One call on a last interval to σ = 0. */
  @Override
  public int evaluations(double[] times, Schedule schedule) {
    return LastStepToData.evaluations(this, times, schedule);
  }

  @Override
  public SolverState init(SamplingProblem problem) {
    Clock.requireFiniteStart(problem, "dpm-adaptive");
    return Solver.super.init(problem);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    double alphaT = Clock.alpha(problem, k + 1);
    if (Clock.endsAtData(problem, k)) {
      return state.next(problem.predict(state.x(), k).x0().times(alphaT), 1);
    }
    Interval run = interval(problem, state.x(), k);
    return state.next(run.y().times(alphaT), run.calls());
  }

  /**
   * One grid interval: y = x/α at its end, the calls spent and, per trial, the column of each row's λ
   * after it (as k-diffusion's {@code info['t']}).
   */
  record Interval(Tensor y, int calls, java.util.List<Tensor> lambdas) {}

  Interval interval(SamplingProblem problem, Tensor x, int k) {
    double alphaS = Clock.alpha(problem, k);
    double lambdaStart = Clock.lambda(problem, k);
    double lambdaEnd = Clock.lambda(problem, k + 1);
    Backend b = x.backend();
    boolean eager = b.tf().scope().env().isEager();
    Table table = new Table(problem.schedule(), lambdaStart, lambdaEnd, problem.t(k), problem.t(k + 1), b);
    long[] colShape = column(x);
    Tensor ones = x.meanPerSample().times(0).plus(1).reshape(colShape);
    Tensor s = ones.times(lambdaStart);
    Tensor h = ones.times(hInit);
    Tensor y = x.div(alphaS);
    Tensor yPrev = y;
    int calls = 0;
    Tensor zeros = ones.times(0);
    Tensor idle = ones.times(1e-3);                                     // a harmless step for rows that are done
    double b1 = (pcoeff + icoeff + dcoeff) / order;
    double b2 = -(pcoeff + 2 * dcoeff) / order;
    double b3 = dcoeff / order;
    Tensor logInv1 = zeros;                                             // log ε of the last two accepted trials
    Tensor logInv2 = zeros;                                             // (set by the first trial)
    java.util.List<Tensor> lambdas = new java.util.ArrayList<>();
    for (int trial = 0; trial < maxTrials; trial++) {
      Tensor active = s.rsub(lambdaEnd - 1e-5);                       // > 0 while the row is short of the end
      if (eager && !anyPositive(active)) {
        break;
      }
      Gate gate = eager ? null : new Gate(active);
      if (gate != null) {
        active = gate.active();
        Tensor[] in = gate.enter(y, yPrev, s, h, logInv1, logInv2);
        y = in[0];
        yPrev = in[1];
        s = in[2];
        h = in[3];
        logInv1 = in[4];
        logInv2 = in[5];
      }
      Tensor t = s.plus(h).min(ones.times(lambdaEnd));
      Tensor[] lowHigh = pair(problem, table, y, s, active.wherePositive(t.minus(s), idle));
      calls += order;
      Tensor delta = lowHigh[0].abs().max(yPrev.abs()).times(rtol).max(ones.times(atol).broadcastLike(y));
      Tensor err = lowHigh[0].minus(lowHigh[1]).div(delta).square().meanPerSample().sqrt().reshape(colShape);
      Tensor logInv = err.plus(EPS).log().neg();
      if (trial == 0) {
        logInv1 = logInv;
        logInv2 = logInv;
      }
      Tensor logFactor = logInv.times(b1).plus(logInv1.times(b2)).plus(logInv2.times(b3));
      Tensor factor = atan(logFactor.exp().minus(1), b).plus(1);
      Tensor take = active.wherePositive(factor.minus(acceptSafety).wherePositive(ones, zeros), zeros);  // 1 where accepted
      y = select(take, lowHigh[1], y);
      yPrev = select(take, lowHigh[0], yPrev);
      s = take.wherePositive(t, s);
      logInv2 = take.wherePositive(logInv1, logInv2);
      logInv1 = take.wherePositive(logInv, logInv1);
      h = active.wherePositive(h.times(factor), h);
      if (gate != null) {
        Tensor[] out = gate.leave(y, yPrev, s, h, logInv1, logInv2);
        y = out[0];
        yPrev = out[1];
        s = out[2];
        h = out[3];
        logInv1 = out[4];
        logInv2 = out[5];
      }
      lambdas.add(s);
    }
    Tensor active = s.rsub(lambdaEnd - 1e-5);
    if (!eager || anyPositive(active)) {
      Gate gate = eager ? null : new Gate(active);
      Tensor[] in = gate == null ? new Tensor[] {y, s} : gate.enter(y, s);
      Tensor on = gate == null ? active : gate.active();
      Tensor last = pair(problem, table, in[0], in[1], on.wherePositive(in[1].rsub(lambdaEnd), idle))[1];
      calls += order;
      y = select(on, last, in[0]);
      if (gate != null) {
        y = gate.leave(y)[0];
      }
    }
    return new Interval(y, calls, lambdas);
  }

  /**
   * Graph mode: a trial that runs only while some row of the batch is short of λ_end (TensorFlow's
   * v1 control flow, Switch and Merge). The trial reads its tensors through a Switch on that
   * predicate, and its results are merged with the Switch's other outputs, which pass the inputs
   * through. When the predicate is false, every op fed by the untaken output (the model's calls
   * among them) is dead in TensorFlow's executor and does not run. The results are those of the
   * trial without the gate, which changes no row that is done ({@code where} on the per-row activity).
   */
  private static final class Gate {
    private final Backend b;
    private final Operand<TBool> pred;
    private final Tensor active;
    private final java.util.List<Operand<TNumber>> passed = new java.util.ArrayList<>();

    /** A gate open when some entry of the column {@code active} is positive. */
    Gate(Tensor active) {
      this.b = active.backend();
      this.pred = anyPositiveOp(active);
      this.active = b.wrap(b.tf().switchCond(active.op(), pred).outputTrue());
    }

    /** The activity column as the trial reads it. */
    Tensor active() {
      return active;
    }

    /** The tensors as the trial reads them (live only when the gate is open); keeps their pass-through. */
    Tensor[] enter(Tensor... carried) {
      Tensor[] in = new Tensor[carried.length];
      for (int i = 0; i < carried.length; i++) {
        SwitchCond<TNumber> sw = b.tf().switchCond(carried[i].op(), pred);
        passed.add(sw.outputFalse());
        in[i] = b.wrap(sw.outputTrue());
      }
      return in;
    }

    /** Each result merged with the pass-through of the entered tensor at its position. */
    Tensor[] leave(Tensor... results) {
      Tensor[] out = new Tensor[results.length];
      for (int i = 0; i < results.length; i++) {
        out[i] = b.wrap(b.tf().merge(java.util.List.of(passed.get(i), results[i].op())).output());
      }
      return out;
    }
  }

  /** Eager only: whether any entry is positive. */
  private static boolean anyPositive(Tensor v) {
    try (var any = anyPositiveOp(v).asTensor()) {
      return ((TBool) any).getBoolean();
    }
  }

  /** Whether any entry of {@code v} is positive, as a boolean scalar op. */
  private static Operand<TBool> anyPositiveOp(Tensor v) {
    Backend b = v.backend();
    Tensor flat = v.reshape(-1);
    return b.tf().reduceAny(b.tf().math.greater(flat.op(), flat.times(0).op()), b.tf().constant(new int[] {0}));
  }

  /** [B, 1, …, 1] for x of shape [B, …]. */
  private static long[] column(Tensor x) {
    long[] shape = new long[Math.max(x.rank(), 2)];
    java.util.Arrays.fill(shape, 1);
    shape[0] = -1;
    return shape;
  }

  /** Per row: where the column {@code cond} is positive take a, else b (a, b shaped like x). */
  private static Tensor select(Tensor cond, Tensor a, Tensor b) {
    return cond.broadcastLike(a).wherePositive(a, b);
  }

  private static Tensor atan(Tensor v, Backend b) {
    return b.wrap(b.tf().math.atan(v.op()));
  }

  /** The lower- and higher-order results from (y, λ = s) over per-row steps h (k-diffusion's dpm_solver_{1,2,3}_step). */
  private Tensor[] pair(SamplingProblem problem, Table table, Tensor y, Tensor s, Tensor h) {
    Tensor eps0 = table.eps(problem, y, s);
    Tensor t = s.plus(h);
    Tensor sigT = t.neg().exp();
    Tensor em1 = h.expm1();
    Tensor first = y.minus(eps0.times(sigT.times(em1)));
    if (order == 2) {
      Tensor s1 = s.plus(h.times(0.5));
      Tensor u1 = y.minus(eps0.times(s1.neg().exp().times(h.times(0.5).expm1())));
      Tensor eps1 = table.eps(problem, u1, s1);
      Tensor second = first.minus(eps1.minus(eps0).times(sigT.times(em1)));
      return new Tensor[] {first, second};
    }
    double r1 = 1.0 / 3;
    double r2 = 2.0 / 3;
    Tensor s1 = s.plus(h.times(r1));
    Tensor u1 = y.minus(eps0.times(s1.neg().exp().times(h.times(r1).expm1())));
    Tensor eps1 = table.eps(problem, u1, s1);
    Tensor low = first.minus(eps1.minus(eps0).times(sigT.times(em1).times(1 / (2 * r1))));
    Tensor s2 = s.plus(h.times(r2));
    Tensor sig2 = s2.neg().exp();
    Tensor e2 = h.times(r2).expm1();
    Tensor u2 = y.minus(eps0.times(sig2.times(e2)))
        .minus(eps1.minus(eps0).times(sig2.times(r2 / r1).times(e2.div(h.times(r2)).minus(1))));
    Tensor eps2 = table.eps(problem, u2, s2);
    Tensor high = first.minus(eps2.minus(eps0).times(sigT.div(r2).times(em1.div(h).minus(1))));
    return new Tensor[] {low, high};
  }

  /**
   * The schedule on [λ_a, λ_b] at nodes every ≤ {@link #TABLE_STEP}: t, log α (with exact
   * λ-derivatives), α̇, σ̇ (finite-difference slopes), read in the graph by cubic Hermite interpolation.
   */
  static final class Table {
    final double lo;
    final double step;
    final int n;
    final double[][] values = new double[4][];
    final double[][] slopes = new double[4][];
    final Tensor[] valueTensors = new Tensor[4];
    final Tensor[] slopeTensors = new Tensor[4];

    Table(Schedule sch, double lambdaA, double lambdaB, double tA, double tB, Backend b) {
      n = Math.max(2, (int) Math.ceil(Math.abs(lambdaB - lambdaA) / TABLE_STEP) + 1);
      lo = lambdaA;
      step = (lambdaB - lambdaA) / (n - 1);
      for (int q = 0; q < 4; q++) {
        values[q] = new double[n];
        slopes[q] = new double[n];
      }
      double t = tA;
      for (int i = 0; i < n; i++) {
        if (i == n - 1) {
          t = tB;
        } else if (i > 0) {
          // Newton on λ(t) = target from the previous node's t + step·dt/dλ (t(λ) is smooth and monotone)
          double target = lambdaA + i * step;
          t = t + step * slopes[0][i - 1];
          for (int it = 0; it < 4; it++) {
            double dl = sch.alphaDot(t) / sch.alpha(t) - sch.sigmaDot(t) / sch.sigma(t);
            t = Math.min(Math.max(t - (sch.lambda(t) - target) / dl, Math.min(tA, tB)), Math.max(tA, tB));
          }
        }
        double a = sch.alpha(t);
        double sg = sch.sigma(t);
        double ad = sch.alphaDot(t);
        double sd = sch.sigmaDot(t);
        double dtdl = 1 / (ad / a - sd / sg);
        values[0][i] = t;
        slopes[0][i] = dtdl;
        values[1][i] = Math.log(a);
        slopes[1][i] = ad / a * dtdl;
        values[2][i] = ad;
        values[3][i] = sd;
      }
      for (int q = 2; q < 4; q++) {
        for (int i = 0; i < n; i++) {
          int i0 = Math.max(0, i - 1);
          int i1 = Math.min(n - 1, i + 1);
          slopes[q][i] = (values[q][i1] - values[q][i0]) / ((i1 - i0) * step);
        }
      }
      for (int q = 0; q < 4; q++) {
        valueTensors[q] = b.constant(values[q], n);
        slopeTensors[q] = b.constant(slopes[q], n).times(step);
      }
    }

    /** ε̂ at (y, λ) per row: the model at x = α(λ) y, time t(λ). */
    Tensor eps(SamplingProblem problem, Tensor y, Tensor lambda) {
      Backend b = y.backend();
      Ops tf = b.tf();
      Tensor u = lambda.minus(lo).div(step);
      Tensor idx = b.wrap(tf.math.floor(u.op())).clip(0, n - 2);
      Tensor f = u.minus(idx);
      Operand<TInt32> i0 = tf.dtypes.cast(idx.op(), TInt32.class);
      Operand<TInt32> i1 = tf.math.add(i0, tf.constant(1));
      Tensor f2 = f.square();
      Tensor f3 = f2.times(f);
      Tensor h00 = f3.times(2).minus(f2.times(3)).plus(1);
      Tensor h10 = f3.minus(f2.times(2)).plus(f);
      Tensor h01 = f2.times(3).minus(f3.times(2));
      Tensor h11 = f3.minus(f2);
      Tensor[] q = new Tensor[4];
      for (int j = 0; j < 4; j++) {
        Tensor v = valueTensors[j];
        Tensor m = slopeTensors[j];
        q[j] = h00.times(gather(b, v, i0)).plus(h10.times(gather(b, m, i0)))
            .plus(h01.times(gather(b, v, i1))).plus(h11.times(gather(b, m, i1)));
      }
      Tensor alpha = q[1].exp();
      Tensor sigma = alpha.times(lambda.neg().exp());
      PathPoint p = new PathPoint(q[0], alpha, sigma, q[2], q[3]);
      return problem.model().predict(y.times(alpha), p).eps();
    }

    private static Tensor gather(Backend b, Tensor table, Operand<TInt32> idx) {
      return b.wrap(b.tf().gather(table.op(), idx, b.tf().constant(0)));
    }
  }
}
