package org.diffuse4j.spark;

import org.apache.spark.api.java.function.Function;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.runtime.likelihood.LikelihoodEngine;
import org.diffuse4j.runtime.likelihood.LikelihoodMoments;
import org.diffuse4j.runtime.likelihood.LikelihoodOptions;
import org.diffuse4j.runtime.manifest.Manifest;

/**
 * One task of a Spark {@code likelihood} job: the log-likelihoods of its slice of whole chunks
 * through {@link LikelihoodEngine#evaluateRows} (bitwise those of one process with the same B), and
 * their {@link LikelihoodMoments}.
 */
final class LikelihoodShard implements Function<Slice, LikelihoodMoments> {
  private static final long serialVersionUID = 1L;

  private final TaskRun run;
  private final String solver;
  private final double[] times;
  private final LikelihoodOptions.Divergence divergence;
  private final LikelihoodOptions.Probe probe;
  private final int probes;
  private final LikelihoodOptions.Prior prior;
  private final long seed;
  private final int batch;

  LikelihoodShard(TaskRun run, String solver, double[] times, LikelihoodOptions options, int batch) {
    this.run = run;
    this.solver = solver;
    this.times = times.clone();
    this.divergence = options.divergence();
    this.probe = options.probe();
    this.probes = options.probes();
    this.prior = options.prior();
    this.seed = options.seed();
    this.batch = batch;
  }

  @Override
  public LikelihoodMoments call(Slice s) throws Exception {
    Manifest m = run.manifest(false);
    int dim = m.data().dim();
    Solver method = run.registry().create(Kind.SOLVER, solver, "--solver");
    LikelihoodOptions options = new LikelihoodOptions(divergence, probe, probes, prior, seed);
    try (TaskRun.OpenRun open = run.open();
        LikelihoodEngine engine = new LikelihoodEngine(m, method, solver, times, options, dim, batch, open.checkpoint())) {
      return LikelihoodMoments.of(engine.evaluateRows(s.x(), s.first(), s.n()), s.x(), dim, engine.mixture());
    }
  }
}
