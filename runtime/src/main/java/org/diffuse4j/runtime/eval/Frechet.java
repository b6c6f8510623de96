package org.diffuse4j.runtime.eval;

/**
 * The Fréchet distance between two Gaussians N(μ₁, C₁) and N(μ₂, C₂) (Dowson &amp; Landau 1982; the
 * FID of Heusel et al. 2017 applies it to classifier features):
 * d² = ‖μ₁ − μ₂‖² + Tr(C₁ + C₂ − 2(C₁C₂)^{1/2}), all in Java doubles.
 *
 * <p>Tr((C₁C₂)^{1/2}) is computed as Tr((C₁^{1/2} C₂ C₁^{1/2})^{1/2}): the two matrices are similar
 * (C₁C₂ = C₁^{1/2} (C₁^{1/2} C₂ C₁^{1/2}) C₁^{-1/2} when C₁ is invertible, and by continuity
 * otherwise), and the second is symmetric positive semi-definite, so its square root comes from a
 * symmetric eigen-decomposition (cyclic Jacobi). Tiny negative eigenvalues from rounding are clipped
 * to 0.
 */
public final class Frechet {
  private Frechet() {}

  /** Mean and covariance of n rows of dimension d. */
  public record Stats(double[] mean, double[][] cov) {}

  /** Mean and unbiased (n − 1) covariance of the n×d row-major rows (as numpy.cov(rowvar=False)). */
  public static Stats stats(double[] rows, int n, int d) {
    if (n < 2) {
      throw new IllegalArgumentException("need at least 2 rows for a covariance, got " + n);
    }
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        mean[j] += rows[i * d + j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= n;
    }
    double[][] cov = new double[d][d];
    double[] c = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        c[j] = rows[i * d + j] - mean[j];
      }
      for (int a = 0; a < d; a++) {
        double ca = c[a];
        if (ca == 0) {
          continue;
        }
        double[] row = cov[a];
        for (int b = a; b < d; b++) {
          row[b] += ca * c[b];
        }
      }
    }
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        cov[a][b] /= n - 1;
        cov[b][a] = cov[a][b];
      }
    }
    return new Stats(mean, cov);
  }

  /** The Fréchet distance between the Gaussians of two statistics. */
  public static double distance(Stats s1, Stats s2) {
    return distance(s1.mean(), s1.cov(), s2.mean(), s2.cov());
  }

  /** ‖μ₁ − μ₂‖² + Tr(C₁ + C₂ − 2(C₁C₂)^{1/2}). */
  public static double distance(double[] mu1, double[][] c1, double[] mu2, double[][] c2) {
    int d = mu1.length;
    if (mu2.length != d || c1.length != d || c2.length != d) {
      throw new IllegalArgumentException("dimensions differ");
    }
    double meanTerm = 0;
    for (int i = 0; i < d; i++) {
      double diff = mu1[i] - mu2[i];
      meanTerm += diff * diff;
    }
    double trace = 0;
    for (int i = 0; i < d; i++) {
      trace += c1[i][i] + c2[i][i];
    }
    double[][] s1 = sqrtPsd(c1);
    double[][] m = multiply(multiply(s1, c2), s1);
    symmetrise(m);
    double[] eig = eigen(m).values();
    double traceSqrt = 0;
    for (double v : eig) {
      traceSqrt += Math.sqrt(Math.max(v, 0));
    }
    return meanTerm + trace - 2 * traceSqrt;
  }

  /** The symmetric PSD square root V·diag(√max(λ, 0))·Vᵀ of a symmetric matrix. */
  public static double[][] sqrtPsd(double[][] a) {
    Eigen e = eigen(a);
    int d = a.length;
    double[][] out = new double[d][d];
    for (int k = 0; k < d; k++) {
      double s = Math.sqrt(Math.max(e.values()[k], 0));
      if (s == 0) {
        continue;
      }
      for (int i = 0; i < d; i++) {
        double vik = e.vectors()[i][k] * s;
        for (int j = 0; j < d; j++) {
          out[i][j] += vik * e.vectors()[j][k];
        }
      }
    }
    symmetrise(out);
    return out;
  }

  /** Eigenvalues and eigenvectors (columns of {@code vectors}) of a symmetric matrix. */
  public record Eigen(double[] values, double[][] vectors) {}

  /**
   * Cyclic Jacobi eigen-decomposition of a symmetric matrix (Golub &amp; Van Loan, Matrix
   * Computations, §8.5): rotations zero each off-diagonal entry in turn until the off-diagonal
   * mass is below 1e-26 of the total (at most 100 sweeps).
   */
  public static Eigen eigen(double[][] input) {
    int n = input.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      if (input[i].length != n) {
        throw new IllegalArgumentException("matrix is not square");
      }
      a[i] = input[i].clone();
    }
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      v[i][i] = 1;
    }
    double total = 0;
    for (double[] row : a) {
      for (double x : row) {
        total += x * x;
      }
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          off += a[p][q] * a[p][q];
        }
      }
      if (off <= 1e-26 * total || off == 0) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          double apq = a[p][q];
          if (apq == 0) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * apq);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < n; k++) { // A ← A·J (columns p, q)
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
          }
          for (int k = 0; k < n; k++) { // A ← Jᵀ·A (rows p, q)
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
          }
          a[p][q] = 0;
          a[q][p] = 0;
          for (int k = 0; k < n; k++) { // V ← V·J
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
          }
        }
      }
    }
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = a[i][i];
    }
    return new Eigen(values, v);
  }

  /** The product A·B. */
  public static double[][] multiply(double[][] a, double[][] b) {
    int n = a.length;
    int m = b[0].length;
    int k = b.length;
    double[][] out = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int l = 0; l < k; l++) {
        double ail = a[i][l];
        if (ail == 0) {
          continue;
        }
        double[] bl = b[l];
        double[] oi = out[i];
        for (int j = 0; j < m; j++) {
          oi[j] += ail * bl[j];
        }
      }
    }
    return out;
  }

  private static void symmetrise(double[][] m) {
    for (int i = 0; i < m.length; i++) {
      for (int j = i + 1; j < m.length; j++) {
        double avg = (m[i][j] + m[j][i]) / 2;
        m[i][j] = avg;
        m[j][i] = avg;
      }
    }
  }
}
