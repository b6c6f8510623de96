package org.diffuse4j.runtime.reflow;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.sample.SamplingEngine;
import org.diffuse4j.runtime.train.Checkpoint;

/**
 * Reflow pairs (Liu et al. 2022): n standard-normal noise rows ε and the endpoints x0 of a trained
 * model's probability-flow ODE started from them at the top of the sampling grid. ε_i is
 * {@link CounterNoise} stream 0 of (sampling seed, i), exactly the initial noise of {@code sample},
 * so x0 equals what {@code sample} draws with the same settings (bitwise for the same
 * {@code sampling.batch_size}, the chunk size of {@link SamplingEngine}). The engine starts the solver from σ(t₀)·ε at the grid's first time t₀ (for rectified
 * flow σ(1) = 1; the default grid starts at t₀ = 1 − 10⁻⁴); the stored noise is ε itself, the
 * t = 1 end of the pair that {@code objective: reflow} regresses on.
 *
 * @param x0 endpoints, row-major n × dim
 * @param noise the paired standard-normal rows ε, n × dim
 * @param nfe network evaluations per pair
 */
public record ReflowPairs(double[] x0, double[] noise, int n, int dim, int nfe) {
  /** File names written by {@link #write}. */
  public static final String ENDPOINTS = "x0.npy";
  public static final String NOISE = "noise.npy";

  /**
   * Integrates the run's ODE from n noise rows with the manifest's solver, grid and steps. Fails for
   * a stochastic solver, whose endpoint is not a function of ε, and for an untrained run.
   */
  public static ReflowPairs generate(Manifest m, Checkpoint checkpoint, boolean trainable, int n, PrintStream console) {
    requireOde(m, checkpoint, trainable);
    int dim = m.data().dim();
    double[] eps = CounterNoise.gaussian(m.samplingSeed(), 0, n, dim, 0);
    try (SamplingEngine engine = new SamplingEngine(m, dim, m.sampling().batch_size(), checkpoint)) {
      double[] x0 = engine.sample(m.samplingSeed(), n, null, console); // draws the same ε as sample does
      return new ReflowPairs(x0, eps, n, dim, engine.nfe());
    }
  }

  /**
   * The checks of {@link #generate}, and the graph built once with the checkpoint restored: what a
   * run elsewhere (a {@code ScaleOut} job, bitwise the pairs of {@link #generate} with the same chunk
   * size) checks before it starts, so bad settings or a damaged checkpoint fail here. Returns the
   * network evaluations per pair.
   */
  public static int prepare(Manifest m, Checkpoint checkpoint, boolean trainable) {
    requireOde(m, checkpoint, trainable);
    try (SamplingEngine engine = new SamplingEngine(m, m.data().dim(), m.sampling().batch_size(), checkpoint)) {
      return engine.nfe();
    }
  }

  /** Fails for a stochastic solver, whose endpoint is not a function of ε, and for an untrained run. */
  private static void requireOde(Manifest m, Checkpoint checkpoint, boolean trainable) {
    if (m.solver().traits().stochastic()) {
      throw new OptionException("reflow needs a deterministic ODE solver, but sampling.solver '" + solverName(m)
          + "' is stochastic (it injects noise, so its endpoint is not a function of ε); "
          + "use e.g. --set sampling.solver=heun");
    }
    if (trainable && !checkpoint.exists()) {
      throw new OptionException("no checkpoint in " + checkpoint.dir().getParent() + ": train the run first ('diffuse4j run MANIFEST')");
    }
  }

  private static String solverName(Manifest m) {
    Object sampling = m.resolved().get("sampling");
    Object spec = sampling instanceof Map<?, ?> s ? s.get("solver") : null;
    return String.valueOf(spec instanceof Map<?, ?> named ? named.get("name") : spec);
  }

  /** Mean squared transport distance E‖x0_i − ε_i‖² of the pairs (summed over coordinates). */
  public double transportCost() {
    return meanSquaredDistance(0);
  }

  /**
   * The same cost for independent pairs (x0_i, ε_{i+1 mod n}): the cost of the independent coupling
   * of the model's distribution with the Gaussian, the reference the pairs improve on.
   */
  public double independentCost() {
    return meanSquaredDistance(1);
  }

  private double meanSquaredDistance(int shift) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      int j = (i + shift) % n;
      for (int c = 0; c < dim; c++) {
        double d = x0[i * dim + c] - noise[j * dim + c];
        sum += d * d;
      }
    }
    return sum / n;
  }

  /** Writes {@code dir/x0.npy} and {@code dir/noise.npy} (n × dim; float64 when the run is float64). */
  public void write(Path dir, Precision precision) throws IOException {
    Files.createDirectories(dir);
    if (precision == Precision.FLOAT64) {
      Npy.writeFloat64(dir.resolve(ENDPOINTS), x0, n, dim);
      Npy.writeFloat64(dir.resolve(NOISE), noise, n, dim);
    } else {
      Npy.writeFloat32(dir.resolve(ENDPOINTS), x0, n, dim);
      Npy.writeFloat32(dir.resolve(NOISE), noise, n, dim);
    }
  }
}
