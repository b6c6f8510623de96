package org.diffuse4j.solvers.flowmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.function.Function;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConstantNoise;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.FlowMap;
import org.diffuse4j.api.FlowMapNetwork;
import org.diffuse4j.api.NoiseSource;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.analytic.GaussianFlowMap;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.schedules.DiscreteSchedule;
import org.diffuse4j.schedules.EdmSchedule;
import org.diffuse4j.schedules.RectifiedFlow;
import org.diffuse4j.schedules.VariancePreserving;
import org.diffuse4j.schedules.flowmap.ConsistencyParameterisation;
import org.diffuse4j.solvers.exponential.Ddim;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/** The few-step samplers against diffusers' schedulers and against the exact Gaussian flow map. */
class FewStepSamplersTest {

  static final double[] X = {0.5, -1.2, 1.7, 0.3};

  /** The noise of step k, as the reference script's z(k): stream k + 1 gives it. */
  static double[] z(int k) {
    return new double[] {0.3 * (k + 1) - 0.1, 0.7 - 0.2 * k, -0.5 + 0.1 * k, 0.2 * (k + 1)};
  }

  static final NoiseSource FIXED = (stream, like) -> like.backend().constant(z((int) stream - 1), 2, 2);

  /** Runs {@code solver} over {@code times} from {@code x} (rows of 2), in float64 graph mode. */
  static double[] sample(Solver solver, Schedule sch, double[] times, double[] x, NoiseSource noise,
      Function<Backend, Denoiser> model, Function<Backend, FlowMap> flowMap, int[] nfe) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      int rows = x.length / 2;
      SamplingProblem p = new SamplingProblem(model == null ? null : model.apply(b), sch, times,
          b.constant(x, rows, 2), noise, flowMap == null ? null : flowMap.apply(b));
      SolverState end = solver.solve(p);
      if (nfe != null) {
        nfe[0] = end.nfe();
      }
      try (TFloat64 out = (TFloat64) s.runner().fetch(end.x().op()).run().get(0)) {
        double[] v = new double[x.length];
        for (int i = 0; i < rows; i++) {
          v[2 * i] = out.getDouble(i, 0);
          v[2 * i + 1] = out.getDouble(i, 1);
        }
        return v;
      }
    }
  }

  /** ε̂ = 0.8 tanh(x): the ε-model of the reference script. */
  static Denoiser epsModel(Backend b) {
    return (x, p) -> {
      Tensor eps = x.tanh().times(0.8);
      return new Prediction(x, p, x.minus(eps.times(p.sigma())).div(p.alpha()), eps);
    };
  }

  /** Stable Diffusion's table: √β linear from √0.00085 to √0.012, 1000 entries (diffusers' LCM/TCD default). */
  static final Schedule SD = DiscreteSchedule.of(DiscreteSchedule.BetaKind.SCALED_LINEAR, 1000, 0.00085, 0.012, false);

  // Reference numbers: diffusers 58eb52c's LCMScheduler, TCDScheduler and CMStochasticIterativeScheduler
  // run in float64 (alphas_cumprod and σ's recomputed in float64) on the same start, model and noise,
  // outside this project (/usr/bin/python3, torch 1.13). LCM and TCD: set_timesteps(4) gives
  // timesteps 999, 759, 499, 259, i.e. t = 1, 0.76, 0.5, 0.26 here (timestep i at t = (i + 1)/1000).

  @Test
  void lcmMatchesDiffusersLcmScheduler() {
    double[] out = sample(new Lcm(10, 1000, 0.5), SD, new double[] {1.0, 0.76, 0.5, 0.26, 0.0}, X, FIXED,
        FewStepSamplersTest::epsModel, null, null);
    double[] ref = {0.8764118623442468, -0.17339697437484272, 5.732042032095543, 0.5223841368270556};
    for (int i = 0; i < 4; i++) {
      assertThat(out[i]).isCloseTo(ref[i], within(1e-10));
    }
  }

  @Test
  void tcdMatchesDiffusersTcdScheduler() {
    // eta = 0.3 in diffusers' step is TCD's γ; the last step ends at timestep 0, t = 1/1000
    double[] out = sample(new Tcd(0.3, 1000), SD, new double[] {1.0, 0.76, 0.5, 0.26, 0.001}, X, FIXED,
        FewStepSamplersTest::epsModel, null, null);
    double[] ref = {1.459685022222607, -1.8449553990548722, 8.686442938652707, 0.7929693516115811};
    for (int i = 0; i < 4; i++) {
      assertThat(out[i]).isCloseTo(ref[i], within(1e-10));
    }
  }

  @Test
  void multistepConsistencyMatchesDiffusersCmStochasticIterativeScheduler() {
    // 40 training steps, timesteps [39, 22, 0]: Karras σ = 80, σ(22/39), 0.002; the model output is
    // 0.8 tanh of the scaled input x/√(σ² + σ_d²), through the boundary scalings c_skip, c_out
    EdmSchedule edm = new EdmSchedule(0.002, 80, 7);
    double r = 22.0 / 39;
    double[] times = {1.0, (1 - r) + r * Math.pow(0.002 / 80, 1.0 / 7), edm.tMin()};
    assertThat(edm.sigma(times[1])).isCloseTo(1.3823679566485092, within(1e-12));
    ConsistencyParameterisation cm = new ConsistencyParameterisation(0.5, 0.002);
    double[] x = new double[4];
    for (int i = 0; i < 4; i++) {
      x[i] = 80 * X[i];
    }
    FlowMapNetwork net = (xin, s, t, c) -> xin.tanh().times(0.8);
    double[] out = sample(new MultistepConsistency(1), edm, times, x, FIXED, null,
        b -> cm.flowMap(net, Condition.none()), null);
    double[] ref = {0.16819674377530308, 0.2250156671524722, -0.11463295576576588, 0.1440020607396386};
    for (int i = 0; i < 4; i++) {
      assertThat(out[i]).isCloseTo(ref[i], within(1e-10));
    }
  }

  final GaussianFlowMap gauss = new GaussianFlowMap(new double[] {1.5, -0.5}, 0.7);

  @Test
  void chainingTheExactMapIsExactOnAnyGrid() {
    for (Schedule sch : new Schedule[] {new VariancePreserving(0.1, 20), new RectifiedFlow()}) {
      double[] exact = gauss.jump(sch, X, 0.97, 0.02);
      for (double[] grid : new double[][] {{0.97, 0.02}, {0.97, 0.5, 0.02}, {0.97, 0.8, 0.4, 0.1, 0.02}}) {
        int[] nfe = {0};
        double[] out = sample(new FlowMapChain(), sch, grid, X, FIXED, null, b -> gauss.flowMap(), nfe);
        assertThat(nfe[0]).isEqualTo(grid.length - 1);
        for (int i = 0; i < 4; i++) {
          assertThat(out[i]).isCloseTo(exact[i], within(1e-12));
        }
      }
    }
  }

  @Test
  void withoutAFlowMapTheChainIsDdimAndTcdAtGammaZeroIsTheChain() {
    Schedule vp = new VariancePreserving(0.1, 20);
    double[] grid = {0.97, 0.6, 0.3, 0.05};
    double[] ddim = sample(new Ddim(0), vp, grid, X, FIXED, FewStepSamplersTest::epsModel, null, null);
    double[] chain = sample(new FlowMapChain(), vp, grid, X, FIXED, FewStepSamplersTest::epsModel, null, null);
    double[] tcd0 = sample(new Tcd(0, 0), vp, grid, X, FIXED, FewStepSamplersTest::epsModel, null, null);
    for (int i = 0; i < 4; i++) {
      assertThat(chain[i]).isCloseTo(ddim[i], within(1e-12));
      assertThat(tcd0[i]).isCloseTo(chain[i], within(1e-12));
    }
    // γ = 1 on a grid ending at t = 0 is multistep consistency sampling
    double[] toZero = {0.97, 0.6, 0.3, 0.0};
    Schedule rf = new RectifiedFlow();
    double[] tcd1 = sample(new Tcd(1, 0), rf, toZero, X, FIXED, null, b -> gauss.flowMap(), null);
    double[] msc = sample(new MultistepConsistency(1), rf, toZero, X, FIXED, null, b -> gauss.flowMap(), null);
    for (int i = 0; i < 4; i++) {
      assertThat(tcd1[i]).isCloseTo(msc[i], within(1e-12));
    }
  }

  @Test
  void stochasticSamplersKeepTheExactMarginalWithTheExactMap() {
    // from exact draws of q_T, jump (exact) and re-noise (the forward kernel) keep every marginal exact,
    // so the end samples are N(α m, τ² I) at the grid's end for any γ and step count
    Schedule vp = new VariancePreserving(0.1, 20);
    int n = 20_000;
    double tEnd = 0.05;
    double tau0 = gauss.tau(vp, 0.97);
    double[] x = new double[2 * n];
    double[] eps = org.diffuse4j.api.CounterNoise.gaussian(5, 0, n, 2, 0);
    double[] m = gauss.mean();
    for (int i = 0; i < 2 * n; i++) {
      x[i] = vp.alpha(0.97) * m[i % 2] + tau0 * eps[i];
    }
    double[] grid = {0.97, 0.7, 0.4, 0.2, tEnd};
    for (Solver solver : new Solver[] {new MultistepConsistency(1), new Tcd(0.5, 0)}) {
      double[] out = sample(solver, vp, grid, x, new ConstantNoise(11, 0), null, b -> gauss.flowMap(), null);
      for (int j = 0; j < 2; j++) {
        double mean = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
          mean += out[2 * i + j] / n;
        }
        for (int i = 0; i < n; i++) {
          sq += (out[2 * i + j] - mean) * (out[2 * i + j] - mean) / n;
        }
        double tau = gauss.tau(vp, tEnd);
        // Monte-Carlo errors: 4 standard errors of the mean and of the standard deviation
        assertThat(mean).as("%s mean", solver).isCloseTo(vp.alpha(tEnd) * m[j], within(4 * tau / Math.sqrt(n)));
        assertThat(Math.sqrt(sq)).as("%s std", solver).isCloseTo(tau, within(4 * tau / Math.sqrt(2.0 * n)));
      }
    }
  }
}
