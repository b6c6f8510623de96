package org.diffuse4j.solvers.exponential;

import java.util.List;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;

/**
 * UniPC (Zhao et al. 2023, Algorithms 2–3): predictor UniP-p and corrector UniC-p in λ, with data
 * prediction (below) or noise prediction (ε̂, z = +h, κ = σ_t, c = α_t/α_s in place of −h, α_t,
 * σ_t/σ_s). With h = λ_t − λ_s, r_i = (λ_{k−i} − λ_k)/h, D_i = (x̂0_{k−i} − x̂0_k)/r_i and
 * B(h) = −h (bh1) or e^{−h} − 1 (bh2), the coefficients a solve R a = b with R_{ij} = r_j^{i−1},
 * b_i = (−h) φ_{i+1}(−h) i!/B(h) (eq. 8 of the paper):
 * x_t = (σ_t/σ_s) x_s − α_t(e^{−h} − 1) x̂0_s − α_t B(h) Σ a_i D_i.
 * The corrector redoes the step with the model output at the predicted point as one more node
 * (r = 1); that output is reused by the next step, so both cost 1 evaluation per step (2 on the
 * first, none on the last, where no corrector runs). With {@code lower_order_final} the last steps of
 * a short run use order N − k ({@link LowerOrderFinal}; UniPC's reference applies it at every N,
 * {@link LowerOrderFinal#ALWAYS}, which caps the order at 2); from N = 10 on, {@code true} instead lowers the
 * order of a step much longer in λ than the one before ({@link #stepRatioCap}). History: p model outputs. A last step to σ = 0 is α·x̂0.
 * With {@code denoiseToZero} (the reference's {@code denoise_to_zero}) the grid must end at σ = 0 and the run
 * before that read-out is the reference's N-step run: {@code lower_order_final} counts N = steps − 1, the
 * step into t_N has no corrector, and the read-out is x̂0 of the model at that uncorrected point (1 call).
 */
public record UniPc(
    int order, Variant variant, boolean corrector, LowerOrderFinal lowerOrderFinal, boolean dataPrediction, boolean denoiseToZero)
    implements Solver {

  /** The coefficients: B(h) = h or e^h − 1 (eq. 8), or the reference code's {@code vary_coeff}. */
  public enum Variant {
    BH1,
    BH2,
    /**
     * The reference code's {@code vary_coeff}: the Taylor coefficients g_k ≈ h^{k+1} m^{(k+1)} are
     * solved from C g = D with C_{ik} = r_i^k/(k+1)! and enter with κ_t h φ_{k+2}; the corrector
     * combines the older differences with rows 0 … p−2 of C⁻¹ and the new one, m_t − m_s, with
     * element p−1 of row max(p−2, 0) and h φ_{p+1}, exactly as that code does. That drops a
     * first-order term, so with the corrector this variant is first order (as the reference code).
     */
    VARY_COEFF
  }

  /** Data prediction, with the default {@code lower_order_final} rule. */
  public UniPc(int order, boolean bh1, boolean corrector) {
    this(order, bh1 ? Variant.BH1 : Variant.BH2, corrector, LowerOrderFinal.BELOW_10, true, false);
  }

  /** Data prediction. */
  public UniPc(int order, boolean bh1, boolean corrector, LowerOrderFinal lowerOrderFinal) {
    this(order, bh1 ? Variant.BH1 : Variant.BH2, corrector, lowerOrderFinal, true, false);
  }

  public UniPc {
    if (variant == null) {
      throw new IllegalArgumentException("unipc needs a variant (bh1, bh2 or vary-coeff)");
    }
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
    if (variant == Variant.VARY_COEFF) {
      // the reference corrector drops the term h φ₂ · C⁻¹[0][p−1] (m_t − m_s) of its own expansion:
      // local error O(h²), first order (measured 0.97 under VP at 128–512 steps, docs/solvers.md)
      return new SolverTraits(corrector ? 1 : order, 1, false, order);
    }
    return new SolverTraits(corrector ? order + 1 : order, 1, false, order);
  }

  /** Largest λ-step ratio h_k/h_{k−1} at which a step keeps order 3 (see {@link #stepRatioCap}). */
  static final double RATIO_ORDER_3 = 1.4;
  /** Largest λ-step ratio h_k/h_{k−1} at which a step keeps order 2. */
  static final double RATIO_ORDER_2 = 2;

  /**
   * The step-ratio part of {@code lower_order_final: true} (runs of N ≥ 10 steps): a step at least
   * 1.4× longer in λ than the one before uses order ≤ 2, at least 2× longer order 1 (then, as on
   * UniPC's last step, UniC-1 or none). Extrapolating x̂0 over a step much longer than its nodes'
   * spacing amplifies its higher divided differences (the final λ steps of a t-uniform grid, e.g.
   * 2.04 after 0.59 at 50 steps under VP). On any grid whose λ is smooth in the step index the ratio
   * tends to 1 as N grows, so the guard stops acting and the asymptotic order is unchanged; on
   * λ-uniform grids it never acts. The thresholds are empirical (t-uniform VP and RF grids,
   * docs/solvers.md).
   */
  static int stepRatioCap(int p, double ratio) {
    return ratio > RATIO_ORDER_2 ? 1 : ratio > RATIO_ORDER_3 ? Math.min(p, 2) : p;
  }

  @Override
  public SolverState init(SamplingProblem problem) {
    Clock.requireFiniteStart(problem, "unipc");
    if (denoiseToZero && (problem.steps() < 2 || !Clock.endsAtData(problem, problem.steps() - 1))) {
      throw new IllegalArgumentException("unipc denoise_to_zero: the grid must end at σ = 0 (the read-out x̂0 is that last"
          + " step) after at least one step, but it ends at t = " + problem.t(problem.steps()) + " with " + problem.steps()
          + " step(s); end the grid at t = 0 (e.g. an explicit list ending in 0, or a grid with to_zero: true)"
          + " or set denoise_to_zero: false");
    }
    return Solver.super.init(problem);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    int k = state.k();
    int nfe = 0;
    List<Tensor> history = state.history();
    if (k == 0) {
      history = List.of(target(problem.predict(state.x(), 0)));
      nfe = 1;
    }
    Tensor m0 = Clock.back(history, 0);
    double alphaT = Clock.alpha(problem, k + 1);
    if (Clock.endsAtData(problem, k)) {
      // noise prediction: the h → ∞ limit of the DDIM move, α_t (x − σ_s ε̂)/α_s
      Tensor x0 = dataPrediction ? m0 : state.x().minus(m0.times(Clock.sigma(problem, k))).div(Clock.alpha(problem, k));
      return state.next(x0.times(alphaT), history, nfe, order);
    }
    // with denoise_to_zero the reference's run has N = steps − 1 steps; the read-out is the last grid step
    int n = denoiseToZero ? problem.steps() - 1 : problem.steps();
    int p = lowerOrderFinal.cap(Math.min(order, history.size()), k, n);
    if (k > 0 && lowerOrderFinal.belowSteps() > 0 && n >= lowerOrderFinal.belowSteps()) {
      p = stepRatioCap(p, (Clock.lambda(problem, k + 1) - Clock.lambda(problem, k))
          / (Clock.lambda(problem, k) - Clock.lambda(problem, k - 1)));
    }
    double lambdaS = Clock.lambda(problem, k);
    double h = Clock.lambda(problem, k + 1) - lambdaS;
    double hh = dataPrediction ? -h : h;
    double kappa = dataPrediction ? alphaT : Clock.sigma(problem, k + 1);
    double c = dataPrediction
        ? Clock.sigma(problem, k + 1) / Clock.sigma(problem, k)
        : alphaT / Clock.alpha(problem, k);
    double[] r = new double[p];
    Tensor[] d = new Tensor[p];
    for (int i = 1; i < p; i++) {
      r[i - 1] = (Clock.lambda(problem, k - i) - lambdaS) / h;
      d[i - 1] = Clock.back(history, i).minus(m0).div(r[i - 1]);
    }
    r[p - 1] = 1.0;
    Tensor base = state.x().times(c).minus(m0.times(kappa * Math.expm1(hh)));
    boolean last = k + 1 == n;
    Tensor predicted = variant == Variant.VARY_COEFF ? varyPredictor(base, d, r, p, hh, kappa) : bhPredictor(base, d, r, p, hh, kappa);
    if (last && !denoiseToZero) {
      return state.next(predicted, history, nfe, order);
    }
    Tensor mT = target(problem.predict(predicted, k + 1));
    nfe++;
    Tensor xT = predicted;
    if (corrector && !last) {
      d[p - 1] = mT.minus(m0);
      xT = variant == Variant.VARY_COEFF ? varyCorrector(base, d, r, p, hh, kappa) : bhCorrector(base, d, r, p, hh, kappa);
    }
    return state.next(xT, Clock.append(history, mT), nfe, order);
  }

  private Tensor target(org.diffuse4j.api.Prediction p) {
    return dataPrediction ? p.x0() : p.eps();
  }

  private double bh(double hh) {
    return variant == Variant.BH1 ? hh : Math.expm1(hh);
  }

  /** b_i = z φ_{i+1}(z) i!/B(h), i = 1 … p. */
  private double[] bhRhs(double hh, int p) {
    double[] b = new double[p];
    for (int i = 1; i <= p; i++) {
      b[i - 1] = hh * Phi.phi(i + 1, hh) * Phi.factorial(i) / bh(hh);
    }
    return b;
  }

  private Tensor bhPredictor(Tensor base, Tensor[] d, double[] r, int p, double hh, double kappa) {
    if (p < 2) {
      return base;
    }
    double[] a = p == 2 ? new double[] {0.5} : solve(r, bhRhs(hh, p), p - 1);
    return base.minus(sum(d, a, p - 1).times(kappa * bh(hh)));
  }

  private Tensor bhCorrector(Tensor base, Tensor[] d, double[] r, int p, double hh, double kappa) {
    double[] a = p == 1 ? new double[] {0.5} : solve(r, bhRhs(hh, p), p);
    return base.minus(sum(d, a, p).times(kappa * bh(hh)));
  }

  /** z φ_{j+1}(z), j = 0 … p (the reference's h_phi_ks). */
  private static double[] hPhi(double hh, int p) {
    double[] out = new double[p + 1];
    for (int j = 0; j <= p; j++) {
      out[j] = hh * Phi.phi(j + 1, hh);
    }
    return out;
  }

  /** The inverse of C_{ik} = r_i^k/(k+1)!, i, k &lt; n. */
  private static double[][] varyInverse(double[] r, int n) {
    double[][] inv = new double[n][n];
    for (int col = 0; col < n; col++) {
      double[][] m = new double[n][n + 1];
      for (int i = 0; i < n; i++) {
        for (int kk = 0; kk < n; kk++) {
          m[kk][i] = Math.pow(r[i], kk) / Phi.factorial(kk + 1);
        }
        m[i][n] = i == col ? 1 : 0;
      }
      // m holds Cᵀ; solving Cᵀ y = e_col gives row col of C⁻¹
      double[] y = gauss(m, n);
      inv[col] = y;
    }
    return inv;
  }

  private Tensor varyPredictor(Tensor base, Tensor[] d, double[] r, int p, double hh, double kappa) {
    if (p < 2) {
      return base;
    }
    double[][] a = varyInverse(r, p - 1);
    double[] hp = hPhi(hh, p);
    Tensor x = base;
    for (int kk = 0; kk < p - 1; kk++) {
      x = x.minus(sum(d, a[kk], p - 1).times(kappa * hp[kk + 1]));
    }
    return x;
  }

  private Tensor varyCorrector(Tensor base, Tensor[] d, double[] r, int p, double hh, double kappa) {
    double[][] a = varyInverse(r, p);
    double[] hp = hPhi(hh, p);
    Tensor x = base;
    for (int kk = 0; kk < p - 1; kk++) {
      x = x.minus(sum(d, a[kk], p - 1).times(kappa * hp[kk + 1]));
    }
    return x.minus(d[p - 1].times(kappa * hp[p] * a[Math.max(p - 2, 0)][p - 1]));
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
    return gauss(m, n);
  }

  /** Solves the n × n system held in the augmented matrix m (n × (n + 1)) with partial pivoting. */
  private static double[] gauss(double[][] m, int n) {
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
