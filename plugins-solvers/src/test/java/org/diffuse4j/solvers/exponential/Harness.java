package org.diffuse4j.solvers.exponential;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.ConstantNoise;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.NoiseSource;
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

/** Float64 graph runs of a solver on an analytic model, from given rows and over given times. */
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
    return run(solver, schedule, times, gm, x, new ConstantNoise(seed, 0));
  }

  /** The same with a given noise source. */
  static Run run(Solver solver, Schedule schedule, double[] times, GaussianMixture gm, double[] x, NoiseSource noise) {
    int dim = gm.dim();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      ConditionalDenoiser cd = gm.denoiser(schedule);
      Denoiser model = (xx, p) -> cd.predict(xx, p, Condition.none());
      Tensor x0 = b.constant(x, x.length / dim, dim);
      SamplingProblem problem = new SamplingProblem(model, schedule, times, x0, noise);
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

  /** Root-mean-square difference. */
  static double rms(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(s / a.length);
  }
}
