package org.diffuse4j.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * The trigflow parameterisation on the trigflow schedule is the paper's form with τ = πt/2
 * (Lu &amp; Song 2024, eq. 5–6): input x/σ_d, time label τ, x̂0 = cos τ·x − σ_d sin τ·F, diffusion target
 * (cos τ·σ_d ε − sin τ·x0)/σ_d; on another schedule it is the same at equal σ/α.
 */
class TrigFlowParameterisationTest {
  private static final double SD = 0.7;
  private static final double[] T = {0.02, 0.3, 0.65, 0.97};
  private static final double[] X0 = {0.4, -1.2, 2.0, 0.1};
  private static final double[] EPS = {-0.3, 0.8, 1.1, -1.6};
  private static final double[] RAW = {0.25, -0.5, 0.9, -0.05};

  private static double[] run(Graph g, Tensor t) {
    try (Session s = new Session(g); Result r = s.runner().fetch(t.op()).run()) {
      return Feeds.values(r.get(0));
    }
  }

  @Test
  void onTrigFlowItIsThePapersForm() {
    TrigFlow s = new TrigFlow(SD);
    TrigFlowParameterisation param = new TrigFlowParameterisation(SD);
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      PathPoint p = PathPoint.columns(s, T, b);
      Tensor x0 = b.constant(X0, 4, 1);
      Tensor eps = b.constant(EPS, 4, 1);
      Tensor x = x0.times(p.alpha()).plus(eps.times(p.sigma()));
      double[] in = run(g, param.networkInput(x, p));
      double[] time = run(g, param.networkTime(p));
      double[] x0Hat = run(g, param.interpret(b.constant(RAW, 4, 1), x, p).x0());
      double[] target = run(g, param.target(x0, eps, x, p));
      for (int i = 0; i < 4; i++) {
        double tau = Math.PI / 2 * T[i];
        double xi = Math.cos(tau) * X0[i] + Math.sin(tau) * SD * EPS[i];
        assertThat(in[i]).isCloseTo(xi / SD, within(1e-12));
        assertThat(time[i]).isCloseTo(tau, within(1e-12));
        assertThat(x0Hat[i]).isCloseTo(Math.cos(tau) * xi - SD * Math.sin(tau) * RAW[i], within(1e-12));
        assertThat(target[i]).isCloseTo((Math.cos(tau) * SD * EPS[i] - Math.sin(tau) * X0[i]) / SD, within(1e-10));
      }
    }
  }

  @Test
  void onAnotherScheduleItIsTheSameAtEqualSigmaOverAlpha() {
    TrigFlow trig = new TrigFlow(SD);
    RectifiedFlow rf = new RectifiedFlow();
    TrigFlowParameterisation param = new TrigFlowParameterisation(SD);
    double[] tr = new double[4];
    for (int i = 0; i < 4; i++) {
      tr[i] = rf.timeOfLambda(trig.lambda(T[i]));
    }
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      Tensor x0 = b.constant(X0, 4, 1);
      Tensor eps = b.constant(EPS, 4, 1);
      Tensor raw = b.constant(RAW, 4, 1);
      PathPoint p = PathPoint.columns(trig, T, b);
      PathPoint q = PathPoint.columns(rf, tr, b);
      Tensor x = x0.times(p.alpha()).plus(eps.times(p.sigma()));
      Tensor y = x0.times(q.alpha()).plus(eps.times(q.sigma()));
      double[] a = run(g, param.interpret(raw, x, p).x0());
      double[] c = run(g, param.interpret(raw, y, q).x0());
      double[] ta = run(g, param.networkTime(p));
      double[] tc = run(g, param.networkTime(q));
      for (int i = 0; i < 4; i++) {
        assertThat(c[i]).isCloseTo(a[i], within(1e-10));
        assertThat(tc[i]).isCloseTo(ta[i], within(1e-10));
      }
    }
  }
}
