package org.diffuse4j.spark;

import org.apache.spark.api.java.function.Function;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.runtime.likelihood.Encoder;
import org.diffuse4j.runtime.likelihood.RoundTrip;
import org.diffuse4j.runtime.manifest.Manifest;

/**
 * One task of a Spark {@code encode} job: its slice of whole chunks through
 * {@link Encoder#roundTripRows}, bitwise as in one process with the same B.
 */
final class EncodeShard implements Function<Slice, RoundTripRows> {
  private static final long serialVersionUID = 1L;
  private final TaskRun run;
  private final String solver;
  private final double[] times;
  private final int batch;

  /** {@code solver} null: the manifest's {@code sampling.solver}. */
  EncodeShard(TaskRun run, String solver, double[] times, int batch) {
    this.run = run;
    this.solver = solver;
    this.times = times.clone();
    this.batch = batch;
  }

  @Override
  public RoundTripRows call(Slice s) throws Exception {
    Manifest m = run.manifest(false);
    Solver method = solver != null ? run.registry().create(Kind.SOLVER, solver, "--solver") : m.solver();
    try (TaskRun.OpenRun open = run.open(); // the driver built the same solver: only its name in a message differs
        Encoder e = new Encoder(m, method, solver != null ? solver : "sampling.solver", times, m.data().dim(), batch, open.checkpoint())) {
      RoundTrip r = e.roundTripRows(s.x(), s.first(), s.n());
      return new RoundTripRows(r.latents(), r.reconstructed(), r.nfe());
    }
  }
}
