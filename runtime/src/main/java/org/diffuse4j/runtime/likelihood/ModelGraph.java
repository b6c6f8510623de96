package org.diffuse4j.runtime.likelihood;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.model.Model;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.runtime.graph.SessionConfig;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.sample.BatchedDenoiser;
import org.diffuse4j.runtime.train.Checkpoint;
import org.diffuse4j.runtime.train.EmaWeights;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * A manifest's model (unguided, unconditional) built into a fresh graph, as the likelihood and
 * encode engines use it: build the ops with {@link #backend()} and {@link #denoiser()}, then
 * {@link #open} the session, which restores a trainable network's weights from the run's checkpoint.
 */
final class ModelGraph implements AutoCloseable {
  private final Graph graph = new Graph();
  private final Manifest manifest;
  private final Backend backend;
  private final Model model;
  private final Denoiser denoiser;
  private Session session;

  ModelGraph(Manifest m, int dim) {
    manifest = m;
    backend = new Backend(Ops.create(graph), m.precision());
    model = m.network().build(backend, dim, m.seed());
    ConditionalDenoiser cd = model.network() != null
        ? new BatchedDenoiser(model.network(), m.parameterisation())
        : model.denoiser(m.parameterisation(), m.schedule());
    denoiser = (x, p) -> cd.predict(x, p, Condition.none());
  }

  Backend backend() {
    return backend;
  }

  Denoiser denoiser() {
    return denoiser;
  }

  /** The analytic mixture when the network is {@code gmm}, else null. */
  GaussianMixture mixture() {
    return model.mixture();
  }

  /** Creates the session; a network with weights needs a checkpoint (a run folder). */
  Session open(Checkpoint checkpoint) {
    // the same weights as sampling: the EMA copies unless the manifest says otherwise
    EmaWeights ema = model.trainable() ? EmaWeights.forSampling(manifest, backend, model, checkpoint) : null;
    session = new Session(graph, SessionConfig.unoptimised());
    if (model.trainable()) {
      if (checkpoint == null || !checkpoint.exists()) {
        throw new OptionException("the network has weights to train: pass a run folder with a checkpoint"
            + (checkpoint == null ? "" : " (none in " + checkpoint.dir().getParent() + ")")
            + ", or a manifest with 'network: gmm'");
      }
      checkpoint.restore(session);
      if (ema != null) {
        ema.apply(session);
      }
    }
    return session;
  }

  /** Fails unless the solver is deterministic (ODE integration cannot use injected noise). */
  static void requireDeterministic(Solver solver, String name) {
    if (solver.traits().stochastic()) {
      throw new OptionException("solver '" + name + "' is stochastic; likelihood and encode integrate the "
          + "probability-flow ODE and need a deterministic solver (e.g. rk4, dopri5, heun, ddim)");
    }
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
    graph.close();
  }
}
