package org.diffuse4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.function.Function;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * Prediction's conversions on hand-computed values: rectified flow at t = 1/4 (α = 3/4, σ = 1/4,
 * α̇ = −1, σ̇ = 1, D = α σ̇ − σ α̇ = 1), x0 = (2, −1), ε = (0.4, 1.2), so x = (1.6, −0.45), score
 * −ε/σ = (−1.6, −4.8), velocity α̇ x0 + σ̇ ε = (−1.6, 2.2) and v = α ε − σ x0 = (−0.2, 1.15).
 */
class PredictionTest {
  static final double[] X = {1.6, -0.45};
  static final double[] X0 = {2, -1};
  static final double[] EPS = {0.4, 1.2};

  /** Rectified flow α = 1 − t, σ = t. */
  static final Schedule RF = new Schedule() {
    public double alpha(double t) { return 1 - t; }
    public double sigma(double t) { return t; }
    public double alphaDot(double t) { return -1; }
    public double sigmaDot(double t) { return 1; }
  };

  private static double[][] eval(Function<Backend, Prediction> build) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Prediction p = build.apply(new Backend(Ops.create(g), Precision.FLOAT64));
      return new double[][] {fetch(s, p.x0()), fetch(s, p.eps())};
    }
  }

  private static double[] fetch(Session s, Tensor t) {
    try (TFloat64 out = (TFloat64) s.runner().fetch(t.op()).run().get(0)) {
      double[] v = new double[(int) out.shape().size()];
      int[] k = {0};
      out.scalars().forEach(x -> v[k[0]++] = x.getDouble());
      return v;
    }
  }

  private static void assertRecovers(Function<Backend, Prediction> build) {
    double[][] got = eval(build);
    assertThat(got[0]).containsExactly(X0, within(1e-14));
    assertThat(got[1]).containsExactly(EPS, within(1e-14));
  }

  private static Tensor x(Backend b) {
    return b.constant(X, 1, 2);
  }

  @Test
  void everyTargetConvertsBackToTheSamePair() {
    assertRecovers(b -> Prediction.fromX0(x(b), PathPoint.at(RF, 0.25, b), b.constant(X0, 1, 2)));
    assertRecovers(b -> Prediction.fromEps(x(b), PathPoint.at(RF, 0.25, b), b.constant(EPS, 1, 2)));
    assertRecovers(b -> Prediction.fromScore(x(b), PathPoint.at(RF, 0.25, b), b.constant(new double[] {-1.6, -4.8}, 1, 2)));
    assertRecovers(b -> Prediction.fromVelocity(x(b), PathPoint.at(RF, 0.25, b), b.constant(new double[] {-1.6, 2.2}, 1, 2)));
    assertRecovers(b -> Prediction.fromV(x(b), PathPoint.at(RF, 0.25, b), b.constant(new double[] {-0.2, 1.15}, 1, 2)));
  }

  @Test
  void theDerivedTargetsAreTheHandComputedOnes() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      Prediction p = Prediction.fromX0(x(b), PathPoint.at(RF, 0.25, b), b.constant(X0, 1, 2));
      assertThat(fetch(s, p.score())).containsExactly(new double[] {-1.6, -4.8}, within(1e-14));
      assertThat(fetch(s, p.velocity())).containsExactly(new double[] {-1.6, 2.2}, within(1e-14));
      assertThat(fetch(s, p.v())).containsExactly(new double[] {-0.2, 1.15}, within(1e-14));
    }
  }

  /**
   * Per-sample columns: rows at t = 1/4 and t = 1/2 (α = σ = 1/2); row 2 has x = (0.5, 0.5), x0 = (1, 0),
   * so ε = (x − α x0)/σ = (0, 1).
   */
  @Test
  void columnsBroadcastOneTimePerRow() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      PathPoint p = PathPoint.columns(RF, new double[] {0.25, 0.5}, b);
      assertThat(p.alpha().shape().asArray()).containsExactly(2, 1);
      assertThat(fetch(s, p.alpha())).containsExactly(0.75, 0.5);
      assertThat(fetch(s, p.sigmaDot())).containsExactly(1.0, 1.0);
      Prediction pr = Prediction.fromX0(b.constant(new double[] {1.6, -0.45, 0.5, 0.5}, 2, 2), p,
          b.constant(new double[] {2, -1, 1, 0}, 2, 2));
      assertThat(fetch(s, pr.eps())).containsExactly(new double[] {0.4, 1.2, 0, 1}, within(1e-14));
    }
  }
}
