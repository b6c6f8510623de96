package org.diffuse4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConstantNoise;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.Teacher;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.FlowMapParameterisation;
import org.diffuse4j.api.TrainingNetworks;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Tensor;

/**
 * The laws every {@link Objective} keeps, in float64 on batches built as the runtime builds them
 * (Java-side times from {@link Objective#sampleTime}, weights from {@link Objective#weight}, path
 * columns [B, 1]): the time density is an inverse CDF into [0, 1], weights are finite and ≥ 0, and
 * the per-example loss has shape [B] and is finite (and ≥ 0, as every squared error, pseudo-Huber
 * distance or cross-entropy is) for a random network. For an objective that regresses its
 * parameterisation's target on the schedule's own path ({@link #assertConforms}), the network that
 * outputs the exact denoiser's target is its minimiser: the loss is 0 on point-mass data, where
 * (x̂0, ε̂) = (x0, ε), and on the analytic {@link GaussianMixture} no shift of the output lowers it.
 * Each failure names the method to fix.
 */
public final class ObjectiveConformance {
  private ObjectiveConformance() {}

  /** Rows of the well-formedness batch. */
  static final int ROWS = 8;

  /** Rows of the minimum check on the mixture. */
  static final int MIXTURE_ROWS = 512;

  /** Times of the exact-denoiser checks. */
  static final double[] TIMES = {0.8, 0.5, 0.2};

  /** Shift direction of the minimum check, in raw-output space. */
  static final double[] DIRECTION = {1.0, -0.5};

  /** Every law, for an objective that regresses {@code p}'s target on the path of {@code s}. */
  public static void assertConforms(Objective o, Parameterisation p, Schedule s) {
    assertWellFormed(o, p, s);
    assertZeroAtExactDenoiser(o, p, s);
    assertMinimalAtExactDenoiser(o, p, s);
  }

  /** The laws every objective keeps (for objectives that need no teacher). */
  public static void assertWellFormed(Objective o, Parameterisation p, Schedule s) {
    assertWellFormed(o, p, s, null);
  }

  /**
   * The laws every objective keeps; {@code teacherSolver} (a deterministic solver) steps the teacher
   * (the exact mixture denoiser) of objectives that {@linkplain Objective.Need#TEACHER need one}.
   */
  public static void assertWellFormed(Objective o, Parameterisation p, Schedule s, Solver teacherSolver) {
    assertTimeDensity(o, s);
    assertLossFinite(o, p, s, teacherSolver);
  }

  /**
   * The laws every flow-map objective ({@link Objective#trainsFlowMap()}) keeps, with a random
   * two-time network read through the flow-map parameterisation {@code fm}.
   *
   * @param o the flow-map objective
   * @param fm the flow-map parameterisation it trains (e.g. meanflow, ctm)
   * @param s the schedule
   */
  public static void assertWellFormed(Objective o, FlowMapParameterisation fm, Schedule s) {
    assertWellFormed(o, fm, s, null);
  }

  /**
   * The laws every flow-map objective keeps; {@code teacherSolver} (a deterministic solver) steps the
   * teacher (the exact mixture denoiser) of objectives that {@linkplain Objective.Need#TEACHER need one} (CTM).
   *
   * @param o the flow-map objective
   * @param fm the flow-map parameterisation it trains (e.g. meanflow, ctm)
   * @param s the schedule
   * @param teacherSolver the teacher's solver, or null for objectives without a teacher
   */
  public static void assertWellFormed(Objective o, FlowMapParameterisation fm, Schedule s, Solver teacherSolver) {
    assertThat(o.trainsFlowMap()).as("%s: only objectives with trainsFlowMap() train a flow-map parameterisation", o)
        .isTrue();
    assertTimeDensity(o, s);
    assertLossFinite(o, fm.diagonal(), s, teacherSolver);
  }

  /**
   * sampleTime(s, u) non-decreasing in u and inside [0, 1]; weight(s, t) finite and ≥ 0 there; a
   * paired time (objectives that pair times) in [0, t].
   */
  public static void assertTimeDensity(Objective o, Schedule s) {
    double previous = Double.NEGATIVE_INFINITY;
    for (int i = 1; i < 200; i++) {
      double u = i / 200.0;
      double t = o.sampleTime(s, u);
      assertThat(t).as("%s on %s: sampleTime(schedule, %s) = %s must be a time in [0, 1]; fix sampleTime(Schedule,"
          + " double)", o, s, u, t).isBetween(0.0, 1.0);
      assertThat(t).as("%s on %s: sampleTime(schedule, u) must be an inverse CDF, non-decreasing in u (u = %s gives"
          + " %s < %s); fix sampleTime(Schedule, double)", o, s, u, t, previous).isGreaterThanOrEqualTo(previous);
      previous = t;
      if (o.pairsTimes()) {
        double tp = o.pairedTime(s, t, 0, pairU(i));
        assertThat(tp).as("%s on %s: pairedTime(schedule, %s, 0, %s) = %s must be a time in [0, t]; fix pairedTime",
            o, s, t, pairU(i), tp).isBetween(0.0, t);
      }
      double w = o.weight(s, t);
      assertThat(Double.isFinite(w) && w >= 0).as("%s on %s: weight(schedule, %s) = %s must be finite and >= 0; fix"
          + " weight(Schedule, double)", o, s, t, w).isTrue();
    }
  }

  /** For a random network on a mixture batch: loss of shape [B], finite and ≥ 0. */
  public static void assertLossFinite(Objective unbound, Parameterisation p, Schedule s, Solver teacherSolver) {
    Objective o = unbound.bind(s);
    if (o.needs().contains(Objective.Need.TEACHER) && teacherSolver == null) {
      throw new IllegalArgumentException(o + " needs a teacher: call assertWellFormed(objective, parameterisation,"
          + " schedule, solver) with a deterministic solver for the teacher's steps");
    }
    GaussianMixture gm = GaussianMixture.standard2d();
    double[] times = new double[ROWS];
    for (int i = 0; i < ROWS; i++) {
      times[i] = o.sampleTime(s, (i + 0.5) / ROWS, 0);
    }
    FlowMapParameterisation fm = p instanceof FlowMapParameterisation.Diagonal d ? d.flowMap() : null;
    double[] loss = FlowMapConformance.run(b -> {
      Network net = fm == null ? randomNetwork(b) : randomTwoTimeNetwork(b);
      Teacher teacher = teacherSolver == null ? null : new Teacher(gm.denoiser(s), null, s, teacherSolver);
      TrainingNetworks nets = new TrainingNetworks(net, o.needs().contains(Objective.Need.TARGET) ? net : null, teacher,
          fm);
      return List.of(o.loss(batch(o, s, b, gm.sample(7, 0, ROWS), times), nets, p));
    }).get(0);
    assertThat(loss).as("%s: loss(batch, networks, parameterisation) must have shape [B] = [%d] (one loss per example;"
        + " reduce over every other axis with meanPerSample())", o, ROWS).hasSize(ROWS);
    for (int i = 0; i < ROWS; i++) {
      assertThat(Double.isFinite(loss[i])).as("%s on %s: the loss of example %d (t = %s) is %s; it must be finite"
          + " for any network; fix loss(TrainingBatch, Network, Parameterisation)", o, s, i, times[i], loss[i]).isTrue();
      assertThat(loss[i]).as("%s on %s: the loss of example %d (t = %s) must be >= 0 (a distance); fix"
          + " loss(TrainingBatch, Network, Parameterisation)", o, s, i, times[i]).isGreaterThanOrEqualTo(0.0);
    }
  }

  /**
   * Point-mass data x0 = m: the exact denoiser's (x̂0, ε̂) at x_t = α m + σ ε is exactly (m, ε), so a
   * network outputting its target has loss 0 (within 10⁻¹⁸ per unit weight) at every time.
   */
  public static void assertZeroAtExactDenoiser(Objective o, Parameterisation p, Schedule s) {
    GaussianMixture point = new GaussianMixture(new double[][] {{0.7, -0.4}}, new double[] {0}, new double[] {1});
    for (double t : TIMES) {
      double[] loss = exactLosses(o, p, s, point, t, ROWS, new double[] {0}).get(0);
      double w = o.weight(s, t);
      for (int i = 0; i < ROWS; i++) {
        assertThat(loss[i]).as("%s on %s with %s, t = %s, example %d: on point-mass data the exact denoiser's target"
            + " must give loss 0; the loss must regress the parameterisation's target(x0, eps, xt, point) on the"
            + " schedule's path x_t = α x0 + σ ε (check path(...), sample(...) and target(...) in"
            + " loss(TrainingBatch, Network, Parameterisation))", o, s, p, t, i)
            .isLessThanOrEqualTo(1e-18 * (1 + w));
      }
    }
  }

  /**
   * On {@link #MIXTURE_ROWS} draws of the standard mixture at one time, the loss of the exact
   * denoiser's target shifted by δ·c (c = {@link #DIRECTION}) is a quadratic in δ whose minimiser
   * δ* must be 0 within four Monte-Carlo standard errors: the posterior mean minimises the expected
   * squared error, and a loss whose minimiser is another function (a wrong target or path) gives a
   * δ* of the size of that function's distance.
   *
   * @return δ* / SE at each time of {@link #TIMES}
   */
  public static double[] assertMinimalAtExactDenoiser(Objective o, Parameterisation p, Schedule s) {
    double h = 0.5;
    double[] z = new double[TIMES.length];
    for (int k = 0; k < TIMES.length; k++) {
      double t = TIMES[k];
      List<double[]> l = exactLosses(o, p, s, GaussianMixture.standard2d(), t, MIXTURE_ROWS, new double[] {-h, 0, h});
      int n = MIXTURE_ROWS;
      double sumB = 0;
      double sumC = 0;
      double[] bi = new double[n];
      for (int i = 0; i < n; i++) {
        bi[i] = (l.get(2)[i] - l.get(0)[i]) / (2 * h);
        sumB += bi[i];
        sumC += (l.get(2)[i] + l.get(0)[i] - 2 * l.get(1)[i]) / (2 * h * h);
      }
      double meanB = sumB / n;
      double var = 0;
      for (double v : bi) {
        var += (v - meanB) * (v - meanB);
      }
      double se = Math.sqrt(var / (n - 1) / n) / (2 * sumC / n);
      double deltaStar = -meanB / (2 * sumC / n);
      z[k] = deltaStar / se;
      assertThat(sumC).as("%s on %s with %s, t = %s: the loss must grow when the network's output moves away from"
          + " the target; fix loss(TrainingBatch, Network, Parameterisation)", o, s, p, t).isPositive();
      assertThat(Math.abs(deltaStar)).as("%s on %s with %s, t = %s: the exact denoiser of the Gaussian mixture must"
          + " minimise the expected loss, but shifting its target by δ*·(1, −0.5) with δ* = %s (standard error %s)"
          + " lowers it; the loss must regress target(x0, eps, xt, point) on x_t = α x0 + σ ε of the run's"
          + " schedule (fix loss(TrainingBatch, Network, Parameterisation), or the parameterisation's target)",
          o, s, p, t, deltaStar, se).isLessThanOrEqualTo(4 * se + 1e-12);
    }
    return z;
  }

  /** Per-example losses at one time of the exact-denoiser network of {@code gm}, shifted by each δ. */
  static List<double[]> exactLosses(Objective o, Parameterisation p, Schedule s, GaussianMixture gm, double t, int rows,
      double[] shifts) {
    double[] times = new double[rows];
    java.util.Arrays.fill(times, t);
    double[] x0 = gm.sample(11, 0, rows);
    return FlowMapConformance.run(b -> {
      List<Tensor> out = new java.util.ArrayList<>();
      for (double shift : shifts) {
        Network exact = (in, time, c) -> {
          PathPoint pt = PathPoint.columns(s, times, b);
          Tensor x = in.div(p.networkInput(in.zerosLike().plus(1), pt));
          Prediction d = gm.denoiser(s).predict(x, pt, Condition.none());
          return p.target(d.x0(), d.eps(), x, pt).plus(b.constant(DIRECTION, 1, 2).times(shift));
        };
        out.add(o.loss(batch(o, s, b, x0, times), TrainingNetworks.of(exact), p));
      }
      return out;
    });
  }

  /** A batch as the runtime builds it: rows x0, noise from {@link CounterNoise}, path columns, weights, labels i mod 2. */
  static TrainingBatch batch(Objective o, Schedule s, Backend b, double[] x0, double[] times) {
    int n = times.length;
    double[] eps = new double[2 * n];
    double[] w = new double[n];
    double[] labels = new double[n];
    double[] paired = new double[n];
    for (int i = 0; i < n; i++) {
      eps[2 * i] = CounterNoise.gaussian(5, i, 31, 0);
      eps[2 * i + 1] = CounterNoise.gaussian(5, i, 31, 1);
      w[i] = o.weight(s, times[i]);
      labels[i] = i % 2;
      paired[i] = o.pairsTimes() ? o.pairedTime(s, times[i], 0, pairU(i)) : times[i];
    }
    return new TrainingBatch(b.constant(x0, n, 2), b.constant(eps, n, 2), PathPoint.columns(s, times, b),
        b.constant(w, n, 1), new Condition(b.constant(labels, n)), new ConstantNoise(5, 0),
        o.pairsTimes() ? PathPoint.columns(s, paired, b) : null);
  }

  /** The uniform draw of example i's paired time: a low-discrepancy sequence in (0, 1). */
  static double pairU(int i) {
    return (0.5 + i * 0.6180339887498949) % 1.0;
  }

  /** raw = tanh(x W + (s, t) U) with fixed weights: a two-time network that is not the minimiser. */
  static Network randomTwoTimeNetwork(Backend b) {
    Tensor w = b.constant(new double[] {0.8, -0.3, 0.5, 1.1}, 2, 2);
    Tensor u = b.constant(new double[] {0.7, -1.3, -0.4, 0.9}, 2, 2);
    return (x, t, c) -> x.matmul(w).plus(t.reshape(-1, 2).matmul(u)).tanh();
  }

  /** raw = tanh(x W + t u) with fixed weights: a network that is not the minimiser. */
  static Network randomNetwork(Backend b) {
    Tensor w = b.constant(new double[] {0.8, -0.3, 0.5, 1.1}, 2, 2);
    Tensor u = b.constant(new double[] {0.7, -1.3}, 1, 2);
    return (x, t, c) -> x.matmul(w).plus(t.reshape(-1, 1).times(u)).tanh();
  }
}
