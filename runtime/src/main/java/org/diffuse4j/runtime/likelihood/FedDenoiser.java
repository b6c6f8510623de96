package org.diffuse4j.runtime.likelihood;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * A graph-mode {@link Denoiser} built once with placeholders for the state and the path point, and
 * called from a solver that runs on an eager backend: each call is one {@code Session.run}. This
 * keeps gradients (the divergence needs them, and only graphs have them) out of the solver loop,
 * so the graph stays one model evaluation large whatever the step count, and adaptive solvers such
 * as {@code rk45}, which read their error norm between steps, work too.
 */
final class FedDenoiser {
  private final int batch;
  private final int width;
  private final Tensor z;
  private final Tensor[] point = new Tensor[5];
  private final Tensor x0;
  private final Tensor eps;
  private final int evaluationsPerCall;

  /** Builds {@code model} on placeholders: state [batch, width], five scalar path coefficients. */
  FedDenoiser(Backend graph, Denoiser model, int batch, int width) {
    this.batch = batch;
    this.width = width;
    z = graph.placeholder("fed_state", batch, width);
    String[] names = {"fed_t", "fed_alpha", "fed_sigma", "fed_alpha_dot", "fed_sigma_dot"};
    for (int i = 0; i < 5; i++) {
      point[i] = graph.placeholder(names[i]);
    }
    Prediction p = model.predict(z, new PathPoint(point[0], point[1], point[2], point[3], point[4]));
    x0 = p.x0();
    eps = p.eps();
    evaluationsPerCall = model.evaluationsPerCall();
  }

  /**
   * The denoiser on {@code eager} tensors: values are copied into the graph session with
   * {@code extraFeeds} (e.g. Hutchinson probes), and {@code calls[0]} counts the evaluations.
   */
  Denoiser on(Backend eager, Session session, Map<Tensor, org.tensorflow.Tensor> extraFeeds, int[] calls) {
    return new Denoiser() {
      @Override
      public Prediction predict(Tensor x, PathPoint p) {
        Tensor[] coefficients = {p.t(), p.alpha(), p.sigma(), p.alphaDot(), p.sigmaDot()};
        List<org.tensorflow.Tensor> open = new ArrayList<>();
        try {
          Session.Runner r = session.runner();
          org.tensorflow.Tensor state = Feeds.tensor(eager.precision(), values(x), batch, width);
          open.add(state);
          r.feed(z.op(), state);
          for (int i = 0; i < 5; i++) {
            org.tensorflow.Tensor c = Feeds.scalar(eager.precision(), values(coefficients[i])[0]);
            open.add(c);
            r.feed(point[i].op(), c);
          }
          extraFeeds.forEach((ph, t) -> r.feed(ph.op(), t));
          calls[0]++;
          try (Result res = r.fetch(x0.op()).fetch(eps.op()).run()) {
            return new Prediction(x, p, eager.constant(Feeds.values(res.get(0)), batch, width),
                eager.constant(Feeds.values(res.get(1)), batch, width));
          }
        } finally {
          open.forEach(org.tensorflow.Tensor::close);
        }
      }

      @Override
      public int evaluationsPerCall() {
        return evaluationsPerCall;
      }
    };
  }

  /** Network evaluations per call of the wrapped model. */
  int evaluationsPerCall() {
    return evaluationsPerCall;
  }

  /** The values of an eager tensor. */
  static double[] values(Tensor eager) {
    return Feeds.values(eager.op().asTensor());
  }

  /** An eager backend of the given precision on {@code session}. */
  static Backend eager(org.tensorflow.EagerSession session, org.diffuse4j.api.tensor.Precision precision) {
    return new Backend(Ops.create(session), precision);
  }
}
