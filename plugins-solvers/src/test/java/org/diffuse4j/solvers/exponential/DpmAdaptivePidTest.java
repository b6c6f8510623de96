package org.diffuse4j.solvers.exponential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.testkit.SolverConformance;
import org.junit.jupiter.api.Test;
import org.tensorflow.EagerSession;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.AssignAdd;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TFloat64;

/**
 * {@code dpm-adaptive}'s PID step-size controller against k-diffusion's own {@code sample_dpm_adaptive}
 * (crowsonkb/k-diffusion, {@code PIDStepSizeController}), run outside the project (torch float64,
 * one row at a time, its denoiser in the σ/α chart, which for Gaussian data does not depend on t) on
 * ComfyReferenceTest's 1-D Gaussian under VP, t = 0.9 → 0.05. Compared: every row's λ after every
 * trial (k-diffusion's {@code info['t']}, accepted or not) and the end point.
 */
class DpmAdaptivePidTest {

  static final double[] TIMES = {0.9, 0.05};

  /** PID (p, i, d) = (0.3, 0.6, 0.1), accept_safety 0.9, order 3, k-diffusion's tolerances. */
  static final Map<String, Object> PID = Map.of("pcoeff", 0.3, "icoeff", 0.6, "dcoeff", 0.1, "accept_safety", 0.9);

  /** k-diffusion: λ after each trial (13, 8 and 8 trials; 5, 1 and 1 rejected). */
  static final double[][] PID_LAMBDAS = {
      {-4.024605539251398, -3.897364650954077, -3.575016517217792, -2.782522290182287, -0.9931828927294235,
          -0.9931828927294235, 0.5300690504198886, 0.5300690504198886, 0.5300690504198886, 0.5300690504198886,
          0.5300690504198886, 1.667037410418936, 1.7478792904280036},
      {-4.024605539251398, -3.8973641277009006, -3.574959140345315, -2.7817838500308145, -0.9856416154607572,
          -0.9856416154607572, 0.8801943493191293, 1.7478792904280036},
      {-4.024605539251398, -3.8973645380959483, -3.575004216789566, -2.782364467468427, -0.9915528025605078,
          -0.9915528025605078, 0.6219558977349877, 1.7478792904280036}};
  static final double[] PID_END = {-0.577500331307141, 0.652156498344926, 2.2095839665699026};

  /** DPM-Solver-12, rtol 1e-2, atol 1e-3, (p, i, d) = (0.7, 0.4, 0.2): 22, 12 and 19 trials (4, 0 and 3 rejected). */
  static final Map<String, Object> PID12 = Map.of("order", 2, "rtol", 1e-2, "atol", 1e-3, "max_trials", 24,
      "pcoeff", 0.7, "icoeff", 0.4, "dcoeff", 0.2);
  static final double[] PID12_END = {-0.5687767770504044, 0.6502061870514256, 2.193148069468459};
  static final double[][] PID12_LAMBDAS = {
      {-4.024605539251398, -3.9027598551417113, -3.663076959428177, -3.194264258517688, -2.533336633934325,
          -1.7742387508504862, -1.142099593002162, -1.142099593002162, -0.7344392090447238, -0.7344392090447238,
          -0.44083238427322674, -0.44083238427322674, -0.20011800389167503, 0.06213206729191642, 0.27960784860480314,
          0.27960784860480314, 0.48689329077757004, 0.7050066348975517, 0.9247158514879743, 1.1721908527608358,
          1.4308763483736848, 1.7478792904280036},
      {-4.024605539251398, -3.9026853879524497, -3.661821623925132, -3.189053082221688, -2.5148246488866843,
          -1.7280296491394513, -1.0476061535851329, -0.4308362965768412, 0.08542798362417248, 0.611057877471643,
          1.1313534760822184, 1.7478792904280036},
      {-4.024605539251398, -3.9027440150353874, -3.662809288347239, -3.1931533542276656, -2.529382970950249,
          -1.7642835419314162, -1.1214116595876893, -1.1214116595876893, -0.6859462473526104, -0.6859462473526104,
          -0.3572905364714389, -0.3572905364714389, -0.07341704129263937, 0.23078664998317883, 0.5047846062630847,
          0.8314118838699278, 1.1332281941003346, 1.5557912380305532, 1.7478792904280036}};

  /** λ of each row after each trial ([row][trial]) and the end point, from one graph. */
  static double[][] trace(DpmAdaptive solver, double[] end) {
    Schedule vp = SolverConformance.vp();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      SamplingProblem problem = problem(b, vp);
      DpmAdaptive.Interval run = solver.interval(problem, problem.xInit(), 0);
      Tensor lambdas = run.lambdas().get(0).concat(1, run.lambdas().subList(1, run.lambdas().size()).toArray(new Tensor[0]));
      var out = s.runner().fetch(lambdas.op()).fetch(run.y().times(vp.alpha(TIMES[1])).op()).run();
      try (TFloat64 l = (TFloat64) out.get(0); TFloat64 x = (TFloat64) out.get(1)) {
        double[][] r = new double[3][run.lambdas().size()];
        for (int i = 0; i < 3; i++) {
          end[i] = x.getDouble(i, 0);
          for (int j = 0; j < r[i].length; j++) {
            r[i][j] = l.getDouble(i, j);
          }
        }
        return r;
      }
    }
  }

  static SamplingProblem problem(Backend b, Schedule vp) {
    return problem(b, vp, TIMES);
  }

  static SamplingProblem problem(Backend b, Schedule vp, double[] times) {
    ConditionalDenoiser cd = ComfyReferenceTest.GAUSSIAN.denoiser(vp);
    Denoiser model = (xx, p) -> cd.predict(xx, p, Condition.none());
    return new SamplingProblem(model, vp, times, b.constant(ComfyReferenceTest.X, 3, 1), ComfyReferenceTest.SINE);
  }

  @Test
  void pidStepsMatchKDiffusion() {
    check(PID, PID_LAMBDAS, PID_END);
  }

  @Test
  void pidTwelveMatchesKDiffusion() {
    check(PID12, PID12_LAMBDAS, PID12_END);
  }

  static void check(Map<String, Object> options, double[][] expectedLambdas, double[] expectedEnd) {
    double[] end = new double[3];
    double[][] lambdas = trace((DpmAdaptive) Catalogue.make("dpm-adaptive", options), end);
    double lambdaEnd = expectedLambdas[0][expectedLambdas[0].length - 1];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < lambdas[i].length; j++) {
        // after its last trial a row stays at λ_end. 1e-8: the error norms E are ~1e-6 of δ, so their
        // rounding (~1e-14) is ~1e-8 relative and moves h·f by up to ~1e-9 (seen: 1.1e-9 on a step of 1.8)
        double expected = j < expectedLambdas[i].length ? expectedLambdas[i][j] : lambdaEnd;
        assertThat(lambdas[i][j]).as("row %d trial %d", i, j + 1).isCloseTo(expected, within(1e-8));
      }
    }
    assertThat(end).containsExactly(expectedEnd, within(1e-10));
  }

  /** The default controller is the I-controller: p = d = 0, i = 1, accept_safety 0.81 (DpmAdaptiveTest's numbers). */
  @Test
  void defaultsAreKDiffusionsIController() {
    DpmAdaptive d = (DpmAdaptive) Catalogue.make("dpm-adaptive", Map.of());
    assertThat(new double[] {d.pcoeff(), d.icoeff(), d.dcoeff(), d.acceptSafety()}).containsExactly(0, 1, 0, 0.81);
    assertThat(d).isEqualTo(new DpmAdaptive(3, 0.05, 0.0078, 0.05, 16));
  }

  /**
   * On an eager backend the loop stops when every row has reached the end: the batch spends
   * k-diffusion's largest trial count (13 trials, 39 calls) instead of the budget (16 + 1)·3 = 51, with
   * the same end point. The declared count (the engine's NFE) stays the budget.
   */
  @Test
  void eagerStopsWhenEveryRowIsDone() {
    DpmAdaptive solver = (DpmAdaptive) Catalogue.make("dpm-adaptive", PID);
    try (EagerSession eager = EagerSession.create()) {
      Backend b = new Backend(Ops.create(eager), Precision.FLOAT64);
      SolverState end = solver.solve(problem(b, SolverConformance.vp()));
      TFloat64 x = (TFloat64) end.x().op().asTensor();
      for (int i = 0; i < 3; i++) {
        assertThat(x.getDouble(i, 0)).isCloseTo(PID_END[i], within(1e-10));
      }
      assertThat(end.nfe()).isEqualTo(39);
    }
    assertThat(Harness.run(solver, SolverConformance.vp(), TIMES, ComfyReferenceTest.GAUSSIAN, ComfyReferenceTest.X,
        ComfyReferenceTest.SINE).nfe()).isEqualTo(51);
  }

  /**
   * In a graph the trials after every row has reached the end do not run either: a model that counts
   * its calls in a TensorFlow variable (an AssignAdd fed by x, which the prediction waits for) is
   * called as often as on an eager backend, with the eager end point. PID: 39 calls (not the 51 the
   * graph holds); DPM-Solver-12 (max_trials 24): 44 (not 50); with max_trials 4 no row is done after
   * the trials, so the closing step runs too: (4 + 1)·3 = 15; over four intervals, the last to
   * σ = 0: 46 (not 3·17·3 + 1 = 154). As in the sampling engine, x is fed (nothing can decide the
   * gates before the run) and Grappler is off (its first-run optimisation of the gated graph costs
   * seconds).
   */
  @Test
  void graphStopsWhenEveryRowIsDoneAsEagerDoes() {
    assertThat(graphCalls(PID, TIMES, 39)).isEqualTo(39);
    assertThat(graphCalls(PID12, TIMES, 44)).isEqualTo(44);
    assertThat(graphCalls(Map.of("max_trials", 4), TIMES, 15)).isEqualTo(15);
    assertThat(graphCalls(Map.of(), new double[] {0.99, 0.6, 0.3, 0.1, 0.0}, 46)).isEqualTo(46);
  }

  /** Grappler and the classic graph optimiser off, as the runtime's sampling sessions. */
  static final ConfigProto UNOPTIMISED = ConfigProto.newBuilder()
      .setGraphOptions(GraphOptions.newBuilder()
          .setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true))
          .setOptimizerOptions(OptimizerOptions.newBuilder().setOptLevel(OptimizerOptions.Level.L0)))
      .build();

  /**
   * Model calls a graph run spends, counted in the graph; checks the eager run's calls against
   * {@code eagerCalls} and the graph's end point against the eager one.
   */
  static int graphCalls(Map<String, Object> options, double[] times, int eagerCalls) {
    Solver solver = Catalogue.make("dpm-adaptive", options);
    double[] eager = new double[3];
    try (EagerSession e = EagerSession.create()) {
      SolverState end = solver.solve(problem(new Backend(Ops.create(e), Precision.FLOAT64), SolverConformance.vp(), times));
      TFloat64 x = (TFloat64) end.x().op().asTensor();
      for (int i = 0; i < 3; i++) {
        eager[i] = x.getDouble(i, 0);
      }
      assertThat(end.nfe()).as("eager calls").isEqualTo(eagerCalls);
    }
    try (Graph g = new Graph(); Session s = new Session(g, UNOPTIMISED)) {
      Ops tf = Ops.create(g);
      Backend b = new Backend(tf, Precision.FLOAT64);
      Variable<TFloat64> counter = tf.variable(tf.constant(0.0));
      Tensor xInit = b.placeholder("x_init", 3, 1);
      Denoiser model = problem(b, SolverConformance.vp(), times).model();
      Denoiser counted = (x, p) -> {
        Operand<TFloat64> one = tf.onesLike(tf.dtypes.cast(x.reshape(-1).sum().op(), TFloat64.class));
        AssignAdd<TFloat64> add = tf.assignAdd(counter, one, AssignAdd.useLocking(true));
        return model.predict(b.wrap(tf.withControlDependencies(add).identity(x.op())), p);
      };
      Tensor end = solver.solve(new SamplingProblem(counted, SolverConformance.vp(), times, xInit, ComfyReferenceTest.SINE)).x();
      s.initialize();
      try (var x0 = Feeds.tensor(Precision.FLOAT64, ComfyReferenceTest.X, 3, 1);
          TFloat64 x = (TFloat64) s.runner().feed(xInit.op(), x0).fetch(end.op()).run().get(0)) {
        for (int i = 0; i < 3; i++) {
          assertThat(x.getDouble(i, 0)).as("row %d", i).isCloseTo(eager[i], within(1e-12));
        }
      }
      try (TFloat64 calls = (TFloat64) s.runner().fetch(counter).run().get(0)) {
        return (int) calls.getDouble();
      }
    }
  }
}
