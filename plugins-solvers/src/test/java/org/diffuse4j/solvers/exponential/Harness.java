package org.diffuse4j.solvers.exponential;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.ConstantNoise;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/** Float64 graph runs of a solver on an analytic model, and an independent Java reference. */
final class Harness {
  private Harness() {}

  /** Final samples and evaluations spent. */
  record Run(double[] x, int nfe) {}

  /** Standard-normal initial noise, rows × dim, stream 0 of seed 7. */
  static double[] noise(int rows, int dim) {
    return CounterNoise.gaussian(7, 0, rows, dim, 0);
  }

  /** Runs {@code solver} over {@code times} on the mixture's exact denoiser from {@code x}. */
  static Run run(Solver solver, Schedule schedule, double[] times, GaussianMixture gm, double[] x, long seed) {
    int dim = gm.dim();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      ConditionalDenoiser cd = gm.denoiser(schedule);
      Denoiser model = (xx, p) -> cd.predict(xx, p, Condition.none());
      Tensor x0 = b.constant(x, x.length / dim, dim);
      SamplingProblem problem = new SamplingProblem(model, schedule, times, x0, new ConstantNoise(seed, 0));
      SolverState end = solver.solve(problem);
      try (TFloat64 out = (TFloat64) s.runner().fetch(end.x().op()).run().get(0)) {
        double[] r = new double[x.length];
        for (int i = 0; i < r.length; i++) {
          r[i] = out.getDouble(i / dim, i % dim);
        }
        return new Run(r, end.nfe());
      }
    }
  }

  /**
   * The PF-ODE solution from t0 to t1 in Java doubles, independent of every solver here: in
   * y = x/α and u = log(σ/α) the ODE is dy/du = y − x̂0(α y, t(u)); classical RK4 in u.
   */
  static double[] reference(Schedule sch, GaussianMixture gm, double t0, double t1, double[] x, int substeps) {
    int dim = gm.dim();
    double[] out = new double[x.length];
    double u0 = Math.log(sch.sigma(t0) / sch.alpha(t0));
    double u1 = Math.log(sch.sigma(t1) / sch.alpha(t1));
    double du = (u1 - u0) / substeps;
    for (int row = 0; row < x.length / dim; row++) {
      double[] y = new double[dim];
      for (int j = 0; j < dim; j++) {
        y[j] = x[row * dim + j] / sch.alpha(t0);
      }
      for (int i = 0; i < substeps; i++) {
        double u = u0 + i * du;
        double[] k1 = rhs(sch, gm, u, y);
        double[] k2 = rhs(sch, gm, u + du / 2, axpy(y, du / 2, k1));
        double[] k3 = rhs(sch, gm, u + du / 2, axpy(y, du / 2, k2));
        double[] k4 = rhs(sch, gm, u + du, axpy(y, du, k3));
        for (int j = 0; j < dim; j++) {
          y[j] += du / 6 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
        }
      }
      for (int j = 0; j < dim; j++) {
        out[row * dim + j] = y[j] * sch.alpha(t1);
      }
    }
    return out;
  }

  private static double[] rhs(Schedule sch, GaussianMixture gm, double u, double[] y) {
    double t = sch.timeOfLambda(-u);
    double a = sch.alpha(t);
    double[] x = new double[y.length];
    for (int j = 0; j < y.length; j++) {
      x[j] = a * y[j];
    }
    double[] x0 = gm.posteriorMean(sch, t, x);
    double[] d = new double[y.length];
    for (int j = 0; j < y.length; j++) {
      d[j] = y[j] - x0[j];
    }
    return d;
  }

  private static double[] axpy(double[] y, double a, double[] k) {
    double[] r = y.clone();
    for (int j = 0; j < r.length; j++) {
      r[j] += a * k[j];
    }
    return r;
  }

  /** Root-mean-square difference. */
  static double rms(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(s / a.length);
  }

  /** Least-squares slope of −log(error) against log(steps). */
  static double slope(int[] steps, double[] err) {
    int n = steps.length;
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += Math.log(steps[i]) / n;
      my += -Math.log(err[i]) / n;
    }
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      double dx = Math.log(steps[i]) - mx;
      sxy += dx * (-Math.log(err[i]) - my);
      sxx += dx * dx;
    }
    return sxy / sxx;
  }
}
