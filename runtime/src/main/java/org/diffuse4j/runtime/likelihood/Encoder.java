package org.diffuse4j.runtime.likelihood;

import org.diffuse4j.api.Inversion;
import org.diffuse4j.api.SamplingProblem;
import java.util.Map;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.sample.Chunks;
import org.diffuse4j.runtime.train.Checkpoint;
import org.tensorflow.EagerSession;
import org.tensorflow.Session;

/**
 * Deterministic encoder (ODE / "DDIM" inversion, seed 003 §4.5; Song et al. 2021 DDIM §5):
 * integrates the probability-flow ODE from x0 (read at t_min) up to x_T with a deterministic solver
 * run forward through {@link Inversion}, then back down over the same grid (the model is one graph
 * called from an eager solver loop, as in {@link LikelihoodEngine}), and reports how well
 * the round trip reconstructs x0. The error is the solver's discretisation error, which shrinks as
 * the steps grow (the exact flow map is invertible: Φ_{T→t}∘Φ_{t→T} = id). Rows are integrated in
 * index-aligned {@link Chunks} of B, as in {@link LikelihoodEngine}: bitwise the same for one B, CPU
 * and build whatever n is ({@link #roundTripRows}); another B changes the latents by float rounding.
 */
public final class Encoder implements AutoCloseable {
  private final Schedule schedule;
  private final Solver solver;
  private final double[] up;
  private final double[] down;
  private final int dim;
  private final int batch;
  private final Chunks chunks;
  private final ModelGraph model;
  private final Session session;
  private final FedDenoiser field;

  /**
   * @param times increasing times t_min … t_max (σ(t_min) &gt; 0)
   * @param checkpoint the run's checkpoint, or null for an analytic model
   */
  public Encoder(Manifest m, Solver solver, String solverName, double[] times, int dim, int batch, Checkpoint checkpoint) {
    ModelGraph.requireDeterministic(solver, solverName);
    this.schedule = m.schedule();
    this.solver = solver;
    this.up = LikelihoodEngine.requireIncreasing(times, schedule);
    this.down = new double[up.length];
    for (int i = 0; i < up.length; i++) {
      down[i] = up[up.length - 1 - i];
    }
    this.dim = dim;
    this.batch = batch;
    this.chunks = new Chunks(batch);
    this.model = new ModelGraph(m, dim);
    try {
      field = new FedDenoiser(model.backend(), model.denoiser(), batch, dim);
      session = model.open(checkpoint);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** Encodes n rows (row-major n × dim) and decodes them again: rows 0 … n−1 of {@link #roundTripRows}. */
  public RoundTrip roundTrip(double[] x, int n) {
    return roundTripRows(x, 0, n);
  }

  /**
   * Encodes and decodes global rows [firstRow, firstRow + n) ({@code firstRow} a multiple of B),
   * whose values {@code x} holds (row-major n × dim); the last chunk is padded with zero rows.
   */
  public RoundTrip roundTripRows(double[] x, long firstRow, int n) {
    chunks.chunkAt(firstRow);
    double[] z = new double[n * dim];
    double[] rec = new double[n * dim];
    int maxCalls = 0;
    for (int start = 0; start < n; start += batch) {
      double[] in = chunks.padded(x, dim, start, n);
      int[] calls = {0};
      try (EagerSession es = EagerSession.create()) {
        Backend eager = FedDenoiser.eager(es, model.backend().precision());
        Denoiser d = field.on(eager, session, Map.of(), calls);
        Tensor latent = solver.solve(Inversion.problem(d, schedule, up, eager.constant(in, batch, dim), Inversion.NO_NOISE)).x();
        maxCalls = Math.max(maxCalls, calls[0]);
        Tensor back = solver.solve(new SamplingProblem(d, schedule, down, latent, Inversion.NO_NOISE)).x();
        chunks.unpad(FedDenoiser.values(latent), dim, start, n, z);
        chunks.unpad(FedDenoiser.values(back), dim, start, n, rec);
      }
    }
    return RoundTrip.of(java.util.Arrays.copyOf(x, n * dim), z, rec, maxCalls * field.evaluationsPerCall());
  }

  @Override
  public void close() {
    model.close();
  }
}
