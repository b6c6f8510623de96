package org.diffuse4j.runtime.likelihood;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.Inversion;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.sample.Chunks;
import org.diffuse4j.runtime.train.Checkpoint;
import org.tensorflow.EagerSession;
import org.tensorflow.Session;

/**
 * Log-likelihood under the probability-flow ODE (seed 003 eq. 54; Song et al. 2021 §D.2):
 * log p(x) = log p_T(x_T) + ∫_{t_min}^{T} ∇·v(x_t, t) dt, with x_t the PF-ODE trajectory that
 * starts at x_{t_min} = x. The data point is read as a sample of q_{t_min} (t_min small: σ(t_min)
 * near 0), the augmented state [x, ℓ] ({@link AugmentedDenoiser}) is integrated forward to
 * T = t_max by the chosen solver through {@link Inversion}, and the prior is N(0, σ(T)² I) or, for
 * the {@code gmm} network, the exact q_T.
 *
 * <p>The model and its divergence are one small graph ({@link FedDenoiser}); the solver runs on an
 * eager backend and calls it once per evaluation. Hutchinson probes are drawn per sample from
 * {@link CounterNoise} (stream k + 1 of (seed, i)), and rows are integrated in index-aligned
 * {@link Chunks} of B: for one B, CPU and build a row's result is bitwise the same whatever n is and
 * whichever chunks are computed ({@link #evaluateRows}, {@link #sampleRows}); another B changes it
 * by float rounding. An adaptive solver ({@code rk45}) shares its step sizes across a chunk, so
 * with it a row also depends on the other rows of its chunk (the padding of the last chunk included).
 */
public final class LikelihoodEngine implements AutoCloseable {
  private final Schedule schedule;
  private final Solver solver;
  private final double[] times;
  private final LikelihoodOptions options;
  private final int dim;
  private final int batch;
  private final Chunks chunks;
  private final ModelGraph model;
  private final Session session;
  private final List<Tensor> probes = new ArrayList<>();
  private final FedDenoiser field;
  private final int channels;

  /**
   * @param times increasing integration times t_min … t_max (σ(t_min) &gt; 0)
   * @param checkpoint the run's checkpoint, or null for an analytic model
   */
  public LikelihoodEngine(Manifest m, Solver solver, String solverName, double[] times, LikelihoodOptions options,
      int dim, int batch, Checkpoint checkpoint) {
    ModelGraph.requireDeterministic(solver, solverName);
    this.schedule = m.schedule();
    this.solver = solver;
    this.times = requireIncreasing(times, schedule);
    this.options = options;
    this.dim = dim;
    this.batch = batch;
    this.chunks = new Chunks(batch);
    this.model = new ModelGraph(m, dim);
    try {
      if (options.prior() == LikelihoodOptions.Prior.EXACT && model.mixture() == null) {
        throw new OptionException("--prior exact needs the analytic 'gmm' network (its q_T is known); use --prior gaussian");
      }
      Backend be = model.backend();
      if (options.divergence() == LikelihoodOptions.Divergence.HUTCHINSON) {
        for (int k = 0; k < options.probes(); k++) {
          probes.add(be.placeholder("likelihood_probe_" + k, batch, dim));
        }
      }
      AugmentedDenoiser augmented = new AugmentedDenoiser(model.denoiser(), dim, probes);
      channels = augmented.channels();
      field = new FedDenoiser(be, augmented, batch, dim + channels);
      session = model.open(checkpoint);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** The analytic mixture when the network is {@code gmm}, else null. */
  public GaussianMixture mixture() {
    return model.mixture();
  }

  /** New samples (row-major n × dim) and their log-likelihoods, from one integration. */
  public record Sampled(double[] x, Likelihoods likelihoods) {}

  /**
   * Samples n rows and their log-likelihoods in one integration from noise to data: rows 0 … n−1 of
   * {@link #sampleRows}.
   */
  public Sampled sample(long seed, int n) {
    return sampleRows(seed, 0, n);
  }

  /**
   * Samples global rows [firstRow, firstRow + n) ({@code firstRow} a multiple of B) and their
   * log-likelihoods: the augmented state [x, ℓ] starts at [σ(t_max)·ε, 0], with ε the sampler's
   * initial noise of each row ({@link CounterNoise} stream 0 of (seed, i), as {@code sample} draws
   * it), and is integrated from t_max down to t_min. Then ℓ = −∫_{t_min}^{t_max} ∇·v dt, so
   * log p(x) = log p_T(x_T) − ℓ. The last chunk is padded with the following rows' noise.
   */
  public Sampled sampleRows(long seed, long firstRow, int n) {
    chunks.chunkAt(firstRow);
    double[][] logp = new double[n][];
    double[] samples = new double[n * dim];
    int maxCalls = 0;
    int w = dim + channels;
    double sigmaT = schedule.sigma(times[times.length - 1]);
    for (int start = 0; start < n; start += batch) {
      long first = firstRow + start;
      double[] eps = CounterNoise.gaussian(seed, first, batch, dim, 0);
      double[] z0 = widen(eps, w);
      for (int i = 0; i < z0.length; i++) {
        z0[i] *= sigmaT;
      }
      int[] calls = {0};
      double[] z = integrate(z0, first, calls, false);
      maxCalls = Math.max(maxCalls, calls[0]);
      chunks.unpad(narrow(z, w), dim, start, n, samples);
      for (int i = 0; i < chunks.rows(start, n); i++) {
        double prior = priorLogDensity(java.util.Arrays.copyOfRange(z0, i * w, i * w + dim));
        logp[start + i] = new double[channels];
        for (int k = 0; k < channels; k++) {
          logp[start + i][k] = prior - z[i * w + dim + k];
        }
      }
    }
    return new Sampled(samples, new Likelihoods(logp, maxCalls * field.evaluationsPerCall()));
  }

  /** Log-likelihoods of the n rows of {@code x} (row-major n × dim): rows 0 … n−1 of {@link #evaluateRows}. */
  public Likelihoods evaluate(double[] x, int n) {
    return evaluateRows(x, 0, n);
  }

  /**
   * Log-likelihoods of global rows [firstRow, firstRow + n) ({@code firstRow} a multiple of B), whose
   * values {@code x} holds (row-major n × dim). The last chunk is padded with zero rows.
   */
  public Likelihoods evaluateRows(double[] x, long firstRow, int n) {
    chunks.chunkAt(firstRow);
    double[][] logp = new double[n][];
    int maxCalls = 0;
    int w = dim + channels;
    for (int start = 0; start < n; start += batch) {
      double[] z0 = widen(chunks.padded(x, dim, start, n), w);
      int[] calls = {0};
      double[] z = integrate(z0, firstRow + start, calls, true);
      maxCalls = Math.max(maxCalls, calls[0]);
      for (int i = 0; i < chunks.rows(start, n); i++) {
        double prior = priorLogDensity(java.util.Arrays.copyOfRange(z, i * w, i * w + dim));
        logp[start + i] = new double[channels];
        for (int k = 0; k < channels; k++) {
          logp[start + i][k] = prior + z[i * w + dim + k];
        }
      }
    }
    return new Likelihoods(logp, maxCalls * field.evaluationsPerCall());
  }

  /** B rows of dim values → B rows of w values (the extra channels zero). */
  private double[] widen(double[] rows, int w) {
    double[] z = new double[batch * w];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(rows, i * dim, z, i * w, dim);
    }
    return z;
  }

  /** B rows of w values → their first dim values. */
  private double[] narrow(double[] z, int w) {
    double[] x = new double[batch * dim];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(z, i * w, x, i * dim, dim);
    }
    return x;
  }

  /**
   * One chunk of the augmented state, row-major batch × (dim + channels): carried from t_min to
   * t_max ({@code towardsNoise}, through {@link Inversion}) or from t_max down to t_min.
   */
  private double[] integrate(double[] z0, long first, int[] calls, boolean towardsNoise) {
    Map<Tensor, org.tensorflow.Tensor> feeds = new LinkedHashMap<>();
    try (EagerSession es = EagerSession.create()) {
      for (int k = 0; k < probes.size(); k++) {
        feeds.put(probes.get(k), Feeds.tensor(model.backend().precision(), probe(first, k), batch, dim));
      }
      Backend eager = FedDenoiser.eager(es, model.backend().precision());
      Denoiser f = field.on(eager, session, feeds, calls);
      Tensor start = eager.constant(z0, batch, dim + channels);
      SamplingProblem problem = towardsNoise
          ? Inversion.problem(f, schedule, times, start, Inversion.NO_NOISE)
          : new SamplingProblem(f, schedule, reversed(times), start, Inversion.NO_NOISE);
      return FedDenoiser.values(solver.solve(problem).x());
    } finally {
      feeds.values().forEach(org.tensorflow.Tensor::close);
    }
  }

  private static double[] reversed(double[] t) {
    double[] r = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      r[i] = t[t.length - 1 - i];
    }
    return r;
  }

  /** Probe k of rows first … first + batch − 1: Gaussian, or its sign (Rademacher). */
  private double[] probe(long first, int k) {
    double[] g = CounterNoise.gaussian(options.seed(), first, batch, dim, k + 1);
    if (options.probe() == LikelihoodOptions.Probe.RADEMACHER) {
      for (int i = 0; i < g.length; i++) {
        g[i] = g[i] >= 0 ? 1 : -1;
      }
    }
    return g;
  }

  /** log p_T(x_T): N(0, σ(T)² I), or the exact marginal of the mixture. */
  double priorLogDensity(double[] xT) {
    double t = times[times.length - 1];
    if (options.prior() == LikelihoodOptions.Prior.EXACT) {
      return model.mixture().logDensityAt(schedule, t, xT);
    }
    double s2 = schedule.sigma(t) * schedule.sigma(t);
    double sq = 0;
    for (double v : xT) {
      sq += v * v;
    }
    return -0.5 * xT.length * Math.log(2 * Math.PI * s2) - sq / (2 * s2);
  }

  /** Fails unless the times increase strictly and σ &gt; 0 at the first (the velocity needs ε̂ = (x − α x̂0)/σ). */
  static double[] requireIncreasing(double[] times, Schedule schedule) {
    if (times.length < 2) {
      throw new OptionException("integration needs at least 2 times, got " + times.length);
    }
    for (int i = 1; i < times.length; i++) {
      if (!(times[i] > times[i - 1])) {
        throw new OptionException("integration times must increase, but t[" + i + "]=" + times[i] + " <= " + times[i - 1]);
      }
    }
    if (!(schedule.sigma(times[0]) > 0)) {
      throw new OptionException("the integration must start where σ > 0 (t_min > 0), got t_min=" + times[0]);
    }
    return times.clone();
  }

  @Override
  public void close() {
    model.close();
  }
}
