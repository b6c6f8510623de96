package org.diffuse4j.objectives;

import org.diffuse4j.api.Coupling;
import org.diffuse4j.api.CounterNoise;

/**
 * Minibatch entropic optimal transport: the Sinkhorn plan P = argmin ⟨P, C⟩ − reg·H(P) with uniform
 * marginals (Cuturi 2013), computed in the log domain, then each data row i takes noise row
 * j ~ P(i, ·)/P(i, ·).sum ({@code sample}, the SB-CFM coupling of Tong et al. 2023) or
 * j = argmax_j P(i, j) ({@code argmax}). C_ij = ‖x0_i − ε_j‖², divided by its mean when
 * {@code normalise} so that reg is scale-free. Sampling draws u = CounterNoise.uniform(seed, i,
 * stream = a hash of the batch), so the pairing is a pure function of the batch.
 */
public record SinkhornCoupling(double reg, int iterations, boolean sample, boolean normalise, long seed)
    implements Coupling {

  public SinkhornCoupling {
    if (!(reg > 0)) {
      throw new IllegalArgumentException("sinkhorn reg must be > 0, got " + reg);
    }
    if (iterations < 1) {
      throw new IllegalArgumentException("sinkhorn iterations must be >= 1, got " + iterations);
    }
  }

  @Override
  public int[] pair(double[] x0, double[] noise, int rows, int dim) {
    double[] plan = plan(SquaredCost.of(x0, noise, rows, dim), rows);
    int[] out = new int[rows];
    long stream = sample ? hash(x0, noise) : 0;
    for (int i = 0; i < rows; i++) {
      int best = 0;
      if (sample) {
        double mass = 0;
        for (int j = 0; j < rows; j++) {
          mass += plan[i * rows + j];
        }
        double target = CounterNoise.uniform(seed, i, stream, 0) * mass;
        double acc = 0;
        best = rows - 1;
        for (int j = 0; j < rows; j++) {
          acc += plan[i * rows + j];
          if (acc >= target) {
            best = j;
            break;
          }
        }
      } else {
        for (int j = 1; j < rows; j++) {
          if (plan[i * rows + j] > plan[i * rows + best]) {
            best = j;
          }
        }
      }
      out[i] = best;
    }
    return out;
  }

  /**
   * The entropic plan (row-major, entries sum to 1) for a square cost matrix: Sinkhorn scaling
   * iterations on a kernel exp((f_i + g_j − C_ij)/reg) whose log potentials absorb the scalings
   * whenever these leave [1e-100, 1e100] (Schmitzer 2019, log-stabilised Sinkhorn), stopping once
   * the row marginals are within 1e-10 of 1/n (columns are exact after each sweep).
   */
  double[] plan(double[] cost, int n) {
    double scale = 1;
    if (normalise) {
      double mean = 0;
      for (double c : cost) {
        mean += c;
      }
      mean /= cost.length;
      scale = mean > 0 ? 1 / mean : 1;
    }
    double[] k = new double[cost.length]; // −C/reg
    for (int i = 0; i < cost.length; i++) {
      k[i] = -cost[i] * scale / reg;
    }
    double[] f = new double[n];
    double[] g = new double[n];
    for (int i = 0; i < n; i++) {
      double m = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        m = Math.max(m, k[i * n + j]);
      }
      f[i] = -m; // each row's largest kernel entry starts at 1 ...
    }
    for (int j = 0; j < n; j++) {
      double m = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        m = Math.max(m, k[i * n + j] + f[i]);
      }
      g[j] = -m; // ... and each column's too, so no row or column underflows to zero
    }
    double target = 1.0 / n;
    double[] kernel = new double[cost.length];
    double[] a = new double[n];
    double[] b = new double[n];
    int it = 0;
    boolean converged = false;
    while (!converged) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          kernel[i * n + j] = Math.exp(k[i * n + j] + f[i] + g[j]);
        }
      }
      java.util.Arrays.fill(a, 1);
      java.util.Arrays.fill(b, 1);
      boolean absorb = false;
      boolean fresh = true;
      double[] rowSum = new double[n];
      double[] colSum = new double[n];
      while (!absorb && it < iterations) {
        for (int i = 0; i < n; i++) {
          double s = 0;
          for (int j = 0; j < n; j++) {
            s += kernel[i * n + j] * b[j];
          }
          rowSum[i] = s;
        }
        if (!allPositiveFinite(rowSum)) {
          return logDomainPlan(k, f, g, n, iterations - it);
        }
        if (!fresh) {
          double err = 0;
          for (int i = 0; i < n; i++) {
            err += Math.abs(a[i] * rowSum[i] - target);
          }
          if (err < 1e-10) {
            converged = true;
            break;
          }
        }
        fresh = false;
        it++;
        java.util.Arrays.fill(colSum, 0);
        for (int i = 0; i < n; i++) {
          a[i] = target / rowSum[i];
          for (int j = 0; j < n; j++) {
            colSum[j] += kernel[i * n + j] * a[i];
          }
        }
        if (!allPositiveFinite(colSum)) {
          return logDomainPlan(k, f, g, n, iterations - it);
        }
        for (int j = 0; j < n; j++) {
          b[j] = target / colSum[j];
        }
        for (int i = 0; i < n; i++) {
          absorb |= !(a[i] > 1e-100 && a[i] < 1e100);
          absorb |= !(b[i] > 1e-100 && b[i] < 1e100);
        }
      }
      for (int i = 0; i < n; i++) {
        f[i] += Math.log(a[i]);
      }
      for (int j = 0; j < n; j++) {
        g[j] += Math.log(b[j]);
      }
      if (it >= iterations) {
        converged = true;
      }
    }
    double[] p = new double[cost.length];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        p[i * n + j] = Math.exp(k[i * n + j] + f[i] + g[j]);
      }
    }
    return p;
  }

  private static boolean allPositiveFinite(double[] v) {
    for (double x : v) {
      if (!(x > 0 && x < Double.POSITIVE_INFINITY)) {
        return false;
      }
    }
    return true;
  }

  /** Plain log-domain Sinkhorn from potentials (f, g), for kernels too extreme for scaling. */
  private static double[] logDomainPlan(double[] k, double[] f, double[] g, int n, int iterations) {
    double logMarginal = -Math.log(n);
    double[] buf = new double[n];
    for (int it = 0; it < Math.max(1, iterations); it++) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          buf[j] = k[i * n + j] + g[j];
        }
        f[i] = logMarginal - logSumExp(buf);
      }
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < n; i++) {
          buf[i] = k[i * n + j] + f[i];
        }
        g[j] = logMarginal - logSumExp(buf);
      }
    }
    double[] p = new double[k.length];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        p[i * n + j] = Math.exp(k[i * n + j] + f[i] + g[j]);
      }
    }
    return p;
  }

  private static double logSumExp(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      m = Math.max(m, x);
    }
    if (m == Double.NEGATIVE_INFINITY) {
      return m;
    }
    double s = 0;
    for (double x : v) {
      s += Math.exp(x - m);
    }
    return m + Math.log(s);
  }

  private static long hash(double[] a, double[] b) {
    long h = 0x9e3779b97f4a7c15L;
    for (double x : a) {
      h = (h ^ Double.doubleToLongBits(x)) * 0xbf58476d1ce4e5b9L;
    }
    for (double x : b) {
      h = (h ^ Double.doubleToLongBits(x)) * 0x94d049bb133111ebL;
    }
    return h;
  }
}
