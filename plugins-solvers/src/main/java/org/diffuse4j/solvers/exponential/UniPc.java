package org.diffuse4j.solvers.exponential;

import java.util.List;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * UniPC (Zhao et al. 2023, Algorithms 2–3, data prediction): predictor UniP-p and corrector UniC-p
 * in λ. With h = λ_t − λ_s, r_i = (λ_{k−i} − λ_k)/h, D_i = (x̂0_{k−i} − x̂0_k)/r_i and
 * B(h) = −h (bh1) or e^{−h} − 1 (bh2), the coefficients a solve R a = b with R_{ij} = r_j^{i−1},
 * b_i = (−h) φ_{i+1}(−h) i!/B(h) (eq. 8 of the paper):
 * x_t = (σ_t/σ_s) x_s − α_t(e^{−h} − 1) x̂0_s − α_t B(h) Σ a_i D_i.
 * The corrector redoes the step with the model output at the predicted point as one more node
 * (r = 1); that output is reused by the next step, so both cost 1 evaluation per step (2 on the
 * first, none on the last, where no corrector runs). With {@code lower_order_final} the last steps of
 * a short run use order N − k ({@link LowerOrderFinal}; UniPC's reference applies it at every N,
 * {@link LowerOrderFinal#ALWAYS}, which caps the order at 2). History: p model outputs. A last step to σ = 0 is α·x̂0.
 */
public record UniPc(int order, boolean bh1, boolean corrector, LowerOrderFinal lowerOrderFinal) implements Solver {

  /** With the default {@code lower_order_final} rule. */
  public UniPc(int order, boolean bh1, boolean corrector) {
    this(order, bh1, corrector, LowerOrderFinal.BELOW_10);
  }

  public UniPc {
    if (order < 1 || order > 3) {
      throw new IllegalArgumentException("unipc order must be 1, 2 or 3, got " + order);
    }
  }

  /**
   * Global order: UniC-p after UniP-p has order p + 1 (Zhao et al. 2023, Thm. 3.1); without the
   * corrector, p. The lower-order first steps (UniP-1 + UniC-1 has local error O(e^{λ₀} h³)) would
   * cap order 4 at 3 only for h far below any grid used, as for every multistep method here
   * (docs/solvers.md). {@code lower_order_final} applies below 10 steps, as for every multistep
   * method here: UniPC's reference applies it at every N ({@link LowerOrderFinal#ALWAYS}), which
   * makes the last step UniP-1 without corrector and caps the order at 2 (measured 1.94 under VP at
   * 128–512 steps).
   */
  @Override
  public SolverTraits traits() {
    return new SolverTraits(corrector ? order + 1 : order, 1, false, order);
  }

  @Override
  public SolverState init(SamplingProblem problem) {
    Clock.requireFiniteStart(problem, "unipc");
    return Solver.super.init(problem);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    int nfe = 0;
    List<Tensor> history = state.history();
    if (k == 0) {
      history = List.of(problem.predict(state.x(), 0).x0());
      nfe = 1;
    }
    Tensor m0 = Clock.back(history, 0);
    double alphaT = Clock.alpha(problem, k + 1);
    if (Clock.endsAtData(problem, k)) {
      return state.next(m0.times(alphaT), history, nfe, order);
    }
    int p = lowerOrderFinal.cap(Math.min(order, history.size()), k, problem.steps());
    double lambdaS = Clock.lambda(problem, k);
    double h = Clock.lambda(problem, k + 1) - lambdaS;
    double hh = -h;
    double bh = bh1 ? hh : Math.expm1(hh);
    double[] r = new double[p];
    double[] b = new double[p];
    Tensor[] d = new Tensor[p];
    for (int i = 1; i < p; i++) {
      r[i - 1] = (Clock.lambda(problem, k - i) - lambdaS) / h;
      d[i - 1] = Clock.back(history, i).minus(m0).div(r[i - 1]);
    }
    r[p - 1] = 1.0;
    for (int i = 1; i <= p; i++) {
      b[i - 1] = hh * Phi.phi(i + 1, hh) * Phi.factorial(i) / bh;
    }
    Tensor base = state.x().times(Clock.sigma(problem, k + 1) / Clock.sigma(problem, k))
        .minus(m0.times(alphaT * Math.expm1(hh)));
    Tensor predicted = base;
    if (p >= 2) {
      double[] a = p == 2 ? new double[] {0.5} : solve(r, b, p - 1);
      predicted = base.minus(sum(d, a, p - 1).times(alphaT * bh));
    }
    if (k + 1 == problem.steps()) {
      return state.next(predicted, history, nfe, order);
    }
    Tensor mT = problem.predict(predicted, k + 1).x0();
    nfe++;
    Tensor xT = predicted;
    if (corrector) {
      d[p - 1] = mT.minus(m0);
      double[] a = p == 1 ? new double[] {0.5} : solve(r, b, p);
      xT = base.minus(sum(d, a, p).times(alphaT * bh));
    }
    return state.next(xT, Clock.append(history, mT), nfe, order);
  }

  private static Tensor sum(Tensor[] d, double[] a, int n) {
    Tensor s = d[0].times(a[0]);
    for (int i = 1; i < n; i++) {
      s = s.plus(d[i].times(a[i]));
    }
    return s;
  }

  /** Solves the n × n system Σ_j r_j^{i} a_j = b_i (i = 0..n−1) by Gaussian elimination. */
  static double[] solve(double[] r, double[] b, int n) {
    double[][] m = new double[n][n + 1];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        m[i][j] = Math.pow(r[j], i);
      }
      m[i][n] = b[i];
    }
    for (int c = 0; c < n; c++) {
      int piv = c;
      for (int i = c + 1; i < n; i++) {
        if (Math.abs(m[i][c]) > Math.abs(m[piv][c])) {
          piv = i;
        }
      }
      double[] tmp = m[c];
      m[c] = m[piv];
      m[piv] = tmp;
      for (int i = 0; i < n; i++) {
        if (i != c) {
          double f = m[i][c] / m[c][c];
          for (int j = c; j <= n; j++) {
            m[i][j] -= f * m[c][j];
          }
        }
      }
    }
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = m[i][n] / m[i][i];
    }
    return a;
  }
}
