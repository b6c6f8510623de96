package org.diffuse4j.objectives;

import org.diffuse4j.api.Network;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Consistency training from scratch with the improved recipe (Song &amp; Dhariwal 2023, Improved
 * Techniques for Training Consistency Models, §3–4), in r = σ/α: Karras levels
 * r_i = (r_min^{1/ρ} + (i − 1)/(N − 1)(r_max^{1/ρ} − r_min^{1/ρ}))^ρ, i = 1…N, with the exponential
 * curriculum N(k) = min(s0·2^⌊k/K'⌋, s1) + 1, K' = ⌊K/(log₂⌊s1/s0⌋ + 1)⌋; the level pair (r_i, r_{i+1})
 * drawn with p(i) ∝ erf((ln r_{i+1} − P_mean)/(√2 P_std)) − erf((ln r_i − P_mean)/(√2 P_std));
 * loss λ(r_i)·d(f_θ(x_{i+1}, r_{i+1}), sg f_θ(x_i, r_i)) with the same x0 and ε at both levels,
 * λ = 1/(r_{i+1} − r_i), pseudo-Huber d(a, b) = √(‖a − b‖² + c²) − c, c = 0.00054·√dim, and the
 * target network θ⁻ = θ with gradients stopped (no EMA, as the paper). The consistency function f
 * is the run's parameterisation's x̂0: with {@code edm} it is c_skip x/α + c_out F, so f = x at
 * r = 0 (the paper puts the boundary at r_min; the two differ by c_out(r_min) ≈ 0.002 there).
 */
public final class ConsistencyTraining implements Objective {
  private final double rMin;
  private final double rMax;
  private final double rho;
  private final double pMean;
  private final double pStd;
  private final int s0;
  private final int s1;
  private final long doublingSteps;

  public ConsistencyTraining(double rMin, double rMax, double rho, double pMean, double pStd, int s0, int s1, long totalSteps) {
    if (!(rMin > 0 && rMax > rMin && rho > 0 && pStd > 0 && s0 >= 1 && s1 >= s0 && totalSteps >= 1)) {
      throw new IllegalArgumentException("consistency-training needs 0 < sigma_min < sigma_max, rho > 0, p_std > 0,"
          + " 1 <= s0 <= s1 and total_steps >= 1");
    }
    this.rMin = rMin;
    this.rMax = rMax;
    this.rho = rho;
    this.pMean = pMean;
    this.pStd = pStd;
    this.s0 = s0;
    this.s1 = s1;
    int doublings = 31 - Integer.numberOfLeadingZeros(s1 / s0); // ⌊log₂⌊s1/s0⌋⌋
    this.doublingSteps = Math.max(1, totalSteps / (doublings + 1));
  }

  /** N(k), the number of levels at optimiser step k. */
  public int levels(long step) {
    long d = step / doublingSteps;
    long n = d >= 31 ? s1 : Math.min((long) s0 << d, s1);
    return (int) n + 1;
  }

  /** r_1 … r_N for N levels. */
  public double[] karras(int n) {
    return karras(rMin, rMax, rho, n);
  }

  /** Karras levels r_1 … r_n from rMin to rMax with exponent ρ (Karras et al. 2022, eq. 5). */
  static double[] karras(double rMin, double rMax, double rho, int n) {
    double a = Math.pow(rMin, 1 / rho);
    double b = Math.pow(rMax, 1 / rho);
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = Math.pow(a + i * (b - a) / (n - 1), rho);
    }
    return r;
  }

  /** p(i) for the pairs (r_i, r_{i+1}), i = 1 … N − 1 (normalised). */
  public double[] pairProbabilities(int n) {
    double[] r = karras(n);
    double[] p = new double[n - 1];
    double total = 0;
    for (int i = 0; i < n - 1; i++) {
      // erf(b) − erf(a) = erfc(a) − erfc(b)
      p[i] = NormalQuantile.erfc(z(r[i])) - NormalQuantile.erfc(z(r[i + 1]));
      total += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= total;
    }
    return p;
  }

  private double z(double r) {
    return (Math.log(r) - pMean) / (Math.sqrt(2) * pStd);
  }

  private static double timeOf(Schedule schedule, double r) {
    return schedule.timeOfLambda(-Math.log(r));
  }

  @Override
  public double sampleTime(Schedule schedule, double u) {
    return sampleTime(schedule, u, 0);
  }

  /** The upper level r_{i+1} of a pair drawn from p, as a time of the schedule. */
  @Override
  public double sampleTime(Schedule schedule, double u, long step) {
    int n = levels(step);
    double[] p = pairProbabilities(n);
    double acc = 0;
    int i = 0;
    while (i < p.length - 1 && u > acc + p[i]) {
      acc += p[i];
      i++;
    }
    return timeOf(schedule, karras(n)[i + 1]);
  }

  @Override
  public boolean pairsTimes() {
    return true;
  }

  /** The level just below the one of t (r_i for t at r_{i+1}). */
  @Override
  public double pairedTime(Schedule schedule, double t, long step) {
    double[] r = karras(levels(step));
    double rt = schedule.sigma(t) / schedule.alpha(t);
    int best = 1;
    for (int i = 2; i < r.length; i++) {
      if (Math.abs(Math.log(r[i] / rt)) < Math.abs(Math.log(r[best] / rt))) {
        best = i;
      }
    }
    return timeOf(schedule, r[best - 1]);
  }

  @Override
  public Tensor loss(TrainingBatch b, Network network, Parameterisation param) {
    return pseudoHuberPair(b, network, param);
  }

  /**
   * λ·(√(‖f_θ(x) − sg f_θ(x')‖² + c²) − c) with x at the batch's time and x' at its paired time (same x0
   * and ε), λ = 1/(r − r'), c = 0.00054·√dim; f is the parameterisation's x̂0.
   */
  static Tensor pseudoHuberPair(TrainingBatch b, Network network, Parameterisation param) {
    PathPoint p = b.point();
    PathPoint q = b.paired();
    Tensor x = b.xt();
    Tensor xq = b.xPaired();
    Tensor f = param.interpret(network.apply(param.networkInput(x, p), param.networkTime(p), b.condition()), x, p).x0();
    Tensor target = param.interpret(network.apply(param.networkInput(xq, q), param.networkTime(q), b.condition()), xq, q)
        .x0().stopGradient();
    long dim = 1;
    for (int i = 1; i < x.rank(); i++) {
      dim *= x.shape().size(i);
    }
    double c = 0.00054 * Math.sqrt(dim);
    Tensor lambda = p.sigma().div(p.alpha()).minus(q.sigma().div(q.alpha())).rdiv(1).reshape(-1);
    return f.minus(target).square().sumPerSample().plus(c * c).sqrt().minus(c).times(lambda);
  }
}
