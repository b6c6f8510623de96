package org.diffuse4j.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * Parameterisations in graph mode, float64: target → interpret round trips, the conversion chain
 * x0 → ε → score → velocity → x0, Tweedie, and the Gaussian-data closed forms of seed 003 §2.2
 * (eq. 10–12), for several schedules.
 */
class ParameterisationTest {
  private static final int ROWS = 4;
  private static final int COLS = 3;
  private static final Map<String, Parameterisation> PARAMS = Map.of(
      "eps", new EpsParameterisation(),
      "x0", new X0Parameterisation(),
      "score", new ScoreParameterisation(),
      "velocity", new VelocityParameterisation(),
      "v", new VParameterisation(),
      "edm", new EdmParameterisation(0.5),
      "trigflow", new TrigFlowParameterisation(0.5));
  private static final List<Schedule> SCHEDULES = List.of(
      new VariancePreserving(0.1, 20), new RectifiedFlow(), new TrigFlow(0.5), new EdmSchedule(0.002, 80, 7),
      new VarianceExploding(0.01, 50), new SubVariancePreserving(0.1, 20));

  private Graph graph;
  private Session session;
  private Backend b;
  private final Random random = new Random(20261123L);

  @BeforeEach
  void open() {
    graph = new Graph();
    session = new Session(graph);
    b = new Backend(Ops.create(graph), Precision.FLOAT64);
  }

  @AfterEach
  void close() {
    session.close();
    graph.close();
  }

  private double[] randomValues() {
    double[] v = new double[ROWS * COLS];
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextGaussian();
    }
    return v;
  }

  private double[] eval(Tensor t) {
    try (TFloat64 out = (TFloat64) session.runner().fetch(t.op()).run().get(0)) {
      double[] v = new double[(int) out.shape().size()];
      out.copyTo(DataBuffers.of(v, false, false));
      return v;
    }
  }

  /** Evaluates several tensors in one Session call. */
  private List<double[]> evalAll(List<Tensor> ts) {
    var runner = session.runner();
    ts.forEach(t -> runner.fetch(t.op()));
    List<double[]> out = new java.util.ArrayList<>();
    try (var results = runner.run()) {
      for (int i = 0; i < ts.size(); i++) {
        TFloat64 f = (TFloat64) results.get(i);
        double[] v = new double[(int) f.shape().size()];
        f.copyTo(DataBuffers.of(v, false, false));
        out.add(v);
      }
    }
    return out;
  }

  private static double[] times(Schedule s) {
    double lo = Math.max(s.tMin(), 0.02);
    double hi = Math.min(s.tMax(), 0.98);
    return new double[] {lo, 0.5 * (lo + hi), hi};
  }

  private static void assertClose(String what, double[] actual, double[] expected, double tol) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as("%s [%d]", what, i)
          .isCloseTo(expected[i], within(tol * Math.max(1, Math.abs(expected[i]))));
    }
  }

  @Test
  void targetThenInterpretGivesBackX0AndEps() {
    for (Schedule s : SCHEDULES) {
      for (double t : times(s)) {
        PathPoint p = PathPoint.at(s, t, b);
        double[] x0 = randomValues();
        double[] eps = randomValues();
        Tensor x0t = b.constant(x0, ROWS, COLS);
        Tensor epst = b.constant(eps, ROWS, COLS);
        Tensor xt = x0t.times(p.alpha()).plus(epst.times(p.sigma()));
        List<String> names = List.copyOf(PARAMS.keySet());
        List<Tensor> fetches = new java.util.ArrayList<>();
        for (String name : names) {
          Parameterisation param = PARAMS.get(name);
          Prediction pred = param.interpret(param.target(x0t, epst, xt, p), xt, p);
          fetches.addAll(List.of(pred.x0(), pred.eps()));
        }
        List<double[]> values = evalAll(fetches);
        for (int j = 0; j < names.size(); j++) {
          String what = names.get(j) + " on " + s + " at t=" + t;
          assertClose(what + " x0", values.get(2 * j), x0, 1e-9);
          assertClose(what + " eps", values.get(2 * j + 1), eps, 1e-9);
        }
      }
    }
  }

  @Test
  void conversionChainX0EpsScoreVelocityX0() {
    for (Schedule s : SCHEDULES) {
      for (double t : times(s)) {
        PathPoint p = PathPoint.at(s, t, b);
        double[] x = randomValues();
        double[] x0 = randomValues();
        Tensor xt = b.constant(x, ROWS, COLS);
        Prediction fromX0 = new X0Parameterisation().interpret(b.constant(x0, ROWS, COLS), xt, p);
        Prediction fromEps = new EpsParameterisation().interpret(fromX0.eps(), xt, p);
        Prediction fromScore = new ScoreParameterisation().interpret(fromEps.score(), xt, p);
        Prediction fromVelocity = new VelocityParameterisation().interpret(fromScore.velocity(), xt, p);
        Prediction fromV = new VParameterisation().interpret(fromVelocity.v(), xt, p);
        assertClose("chain on " + s + " at t=" + t, eval(fromV.x0()), x0, 1e-9);
        // the independent check of the velocity: f x − ½ g² s (seed 003 eq. 34)
        double[] score = eval(fromScore.score());
        double[] vel = eval(fromVelocity.velocity());
        for (int i = 0; i < x.length; i++) {
          double pf = s.f(t) * x[i] - 0.5 * s.g2(t) * score[i];
          assertThat(vel[i]).isCloseTo(pf, within(1e-9 * Math.max(1, Math.abs(pf))));
        }
      }
    }
  }

  @Test
  void gaussianDataClosedFormsHoldForEveryParameterisation() {
    double mu = 1.5;
    double sd = 0.7; // data standard deviation (seed 003's "s" in eq. 10–12)
    for (Schedule s : SCHEDULES) {
      for (double t : times(s)) {
        double a = s.alpha(t);
        double sg = s.sigma(t);
        double ad = s.alphaDot(t);
        double sgd = s.sigmaDot(t);
        double tau2 = a * a * sd * sd + sg * sg;
        double[] x = randomValues();
        double[] ex0 = new double[x.length];
        double[] eeps = new double[x.length];
        double[] score = new double[x.length];
        double[] vel = new double[x.length];
        for (int i = 0; i < x.length; i++) {
          double r = x[i] - a * mu;
          ex0[i] = mu + a * sd * sd / tau2 * r; // eq. 11
          eeps[i] = sg / tau2 * r; // eq. 11
          score[i] = -r / tau2; // eq. 10
          vel[i] = ad * mu + (ad * a * sd * sd + sgd * sg) / tau2 * r; // eq. 12
        }
        PathPoint p = PathPoint.at(s, t, b);
        Tensor xt = b.constant(x, ROWS, COLS);
        List<String> names = List.copyOf(PARAMS.keySet());
        List<Tensor> fetches = new java.util.ArrayList<>();
        for (String name : names) {
          Parameterisation param = PARAMS.get(name);
          Tensor raw = param.target(b.constant(ex0, ROWS, COLS), b.constant(eeps, ROWS, COLS), xt, p);
          Prediction pred = param.interpret(raw, xt, p);
          fetches.addAll(List.of(pred.velocity(), pred.score(), pred.x0()));
        }
        List<double[]> values = evalAll(fetches);
        for (int j = 0; j < names.size(); j++) {
          String what = names.get(j) + " on " + s + " at t=" + t;
          double[] sc = values.get(3 * j + 1);
          double[] x0 = values.get(3 * j + 2);
          assertClose(what + " velocity", values.get(3 * j), vel, 1e-9);
          assertClose(what + " score", sc, score, 1e-9);
          // Tweedie (seed 003 eq. 4): E[x0 | x] = (x + σ² s)/α
          for (int i = 0; i < x.length; i++) {
            assertThat(x0[i]).isCloseTo((x[i] + sg * sg * sc[i]) / a, within(1e-9 * Math.max(1, Math.abs(x0[i]))));
          }
        }
      }
    }
  }

  @Test
  void vPredictionIsSalimansHoAndStaysFiniteAtAlphaZero() {
    TrigFlow cosine = new TrigFlow(1.0);
    PathPoint p = PathPoint.at(cosine, 0.4, b);
    double[] x0 = randomValues();
    double[] eps = randomValues();
    Tensor x0t = b.constant(x0, ROWS, COLS);
    Tensor epst = b.constant(eps, ROWS, COLS);
    Tensor xt = x0t.times(p.alpha()).plus(epst.times(p.sigma()));
    double[] v = eval(new VParameterisation().target(x0t, epst, xt, p));
    double[] vel = eval(new VelocityParameterisation().target(x0t, epst, xt, p));
    double a = Math.cos(0.2 * Math.PI);
    double sg = Math.sin(0.2 * Math.PI);
    for (int i = 0; i < v.length; i++) {
      assertThat(v[i]).isCloseTo(a * eps[i] - sg * x0[i], within(1e-14));
      // seed 001 T6: on the cosine path the flow velocity is (π/2) times v
      assertThat(vel[i]).isCloseTo(Math.PI / 2 * v[i], within(1e-13));
    }
    // at α = 0 (pure noise, e.g. zero terminal SNR) v = −x0 still gives x0 and ε = x
    PathPoint end = new PathPoint(b.scalar(1), b.scalar(0), b.scalar(1), b.scalar(-Math.PI / 2), b.scalar(0));
    double[] noise = randomValues();
    Prediction pred = new VParameterisation().interpret(b.constant(x0, ROWS, COLS).neg(), b.constant(noise, ROWS, COLS), end);
    assertClose("v at alpha=0 x0", eval(pred.x0()), x0, 1e-15);
    assertClose("v at alpha=0 eps", eval(pred.eps()), noise, 1e-15);
  }

  @Test
  void edmCoefficientsMatchKarrasTableOne() {
    EdmParameterisation edm = new EdmParameterisation(0.5);
    EdmSchedule schedule = new EdmSchedule(0.002, 80, 7);
    double t = 0.6;
    double sigma = schedule.sigma(t);
    PathPoint p = PathPoint.at(schedule, t, b);
    assertThat(eval(edm.cSkip(p))[0]).isCloseTo(0.25 / (sigma * sigma + 0.25), within(1e-15));
    assertThat(eval(edm.cOut(p))[0]).isCloseTo(sigma * 0.5 / Math.sqrt(sigma * sigma + 0.25), within(1e-14));
    assertThat(eval(edm.cIn(p))[0]).isCloseTo(1 / Math.sqrt(sigma * sigma + 0.25), within(1e-15));
    assertThat(eval(edm.networkTime(p))[0]).isCloseTo(0.25 * Math.log(sigma), within(1e-15));
    // at σ = σ_data, c_skip = ½
    PathPoint half = PathPoint.at(schedule, schedule.timeOfLambda(-Math.log(0.5)), b);
    assertThat(eval(edm.cSkip(half))[0]).isCloseTo(0.5, within(1e-12));
    // on VP (α ≠ 1) the network sees x/√(σ² + α²σ_d²) and the label −λ/4
    VariancePreserving vp = new VariancePreserving(0.1, 20);
    PathPoint q = PathPoint.at(vp, 0.3, b);
    double[] x = randomValues();
    double[] in = eval(edm.networkInput(b.constant(x, ROWS, COLS), q));
    double a = vp.alpha(0.3);
    double sg = vp.sigma(0.3);
    for (int i = 0; i < x.length; i++) {
      assertThat(in[i]).isCloseTo(x[i] / Math.sqrt(sg * sg + a * a * 0.25), within(1e-14));
    }
    assertThat(eval(edm.networkTime(q))[0]).isCloseTo(-vp.lambda(0.3) / 4, within(1e-14));
  }
}
