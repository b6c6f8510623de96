package org.diffuse4j.runtime.sample;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.model.Model;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.runtime.graph.FedNoise;
import org.diffuse4j.runtime.graph.SessionConfig;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.train.Checkpoint;
import org.diffuse4j.runtime.train.EmaWeights;
import org.diffuse4j.runtime.util.Progress;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * Samples with one graph per (solver, grid, chunk size), holding one subgraph per distinct run of
 * up to 64 consecutive step structures ({@link StepGraphs}): each run of steps of a chunk of B rows
 * is one {@code Session.run} with the steps' scalars and noise fed, so graph memory does not grow
 * with the step count (a run of at most 63 steps is one graph, as the whole loop unrolled). A
 * solver that runs its own loop, or a model with state across steps (APG momentum), has its whole
 * loop unrolled into the graph instead, and a chunk is one {@code Session.run}. The weights are the
 * checkpoint's EMA weights when it has them (unless {@code sampling.use_ema: false});
 * {@code sampling.label} is the condition given to guidance (sample i's label depends only on i).
 * Row i depends only on (seed, i) and the chunk size B: the initial state is σ(t₀)·{@link CounterNoise}
 * stream 0 of sample i, the solver's noise is fed per stream through {@link FedNoise}, and the rows are
 * computed in index-aligned {@link Chunks} of B (the last one padded with the following rows). So for
 * one B, CPU and build the samples are bitwise identical whatever n is, whichever chunks are computed,
 * in which order and in which process ({@link #sampleChunks}); another B changes them only by float
 * rounding (the network's matrix products may sum in another order for another row count).
 */
public final class SamplingEngine implements AutoCloseable {
  private final Manifest manifest;
  private final int dim;
  private final int batch;
  private final Chunks chunks;
  private final Precision precision;
  private final double[] times;
  private final Graph graph = new Graph();
  private final Session session;
  private final Tensor xInit;
  private StepGraphs byStep; // null when the loop is unrolled into {@link #out}
  private Tensor out;
  private final FedNoise noise;
  private final ModelOf sampled;
  private final int nfe;
  private final Model model;
  private final Tensor labels;
  private final boolean usesEma;

  /**
   * Builds the graph for chunks of {@code batch} rows (B: choose it independently of n, since it
   * is part of what the samples' bits depend on); restores weights from {@code checkpoint} when
   * the model is trainable and a checkpoint exists (else the initial weights are used).
   */
  public SamplingEngine(Manifest manifest, int dim, int batch, Checkpoint checkpoint) {
    this(manifest, dim, batch, checkpoint, StepGraphs.STEPS_PER_RUN, 0, 0);
  }

  /**
   * As {@link #SamplingEngine(Manifest, int, int, Checkpoint)} with a session of {@code intraOp} and
   * {@code interOp} TensorFlow threads of its own ({@link SessionConfig#unoptimised(int, int)}; 0: one
   * per core), for engines that run side by side in one process (Spark tasks).
   */
  public static SamplingEngine withThreads(Manifest manifest, int dim, int batch, Checkpoint checkpoint, int intraOp, int interOp) {
    return new SamplingEngine(manifest, dim, batch, checkpoint, StepGraphs.STEPS_PER_RUN, intraOp, interOp);
  }

  /**
   * As above with {@code stepsPerRun} consecutive steps per graph and {@code Session.run}; 0 unrolls
   * the whole loop into one graph (the reference the step graphs match).
   */
  SamplingEngine(Manifest manifest, int dim, int batch, Checkpoint checkpoint, int stepsPerRun) {
    this(manifest, dim, batch, checkpoint, stepsPerRun, 0, 0);
  }

  private SamplingEngine(Manifest manifest, int dim, int batch, Checkpoint checkpoint, int stepsPerRun, int intraOp, int interOp) {
    this.manifest = manifest;
    this.dim = dim;
    this.batch = batch;
    this.chunks = new Chunks(batch);
    this.precision = manifest.precision();
    int steps = manifest.sampling().steps();
    this.times = manifest.grid().times(manifest.schedule(), steps);
    Backend be = new Backend(Ops.create(graph), precision);
    model = manifest.network().build(be, dim, manifest.seed());
    // Before the unrolled loop: naming each EMA copy scans the whole graph, so the graph is small here.
    EmaWeights ema = EmaWeights.forSampling(manifest, be, model, checkpoint);
    boolean all = manifest.sampling().label().equals("all");
    if (all && manifest.data().classes() == 0) {
      throw new org.diffuse4j.api.plugin.OptionException("sampling.label: 'all' cycles through the data's classes, "
          + "but this data set has no labels; give a class id or -1");
    }
    int label = all ? manifest.data().classes() - 1 : manifest.sampling().labelOf(0, 0);
    if (model.classes() > 0 && label >= model.classes()) {
      throw new org.diffuse4j.api.plugin.OptionException("sampling.label " + label + " is not a class of the network "
          + "(network.num_classes: " + model.classes() + "; classes are 0 … " + (model.classes() - 1) + ")");
    }
    labels = manifest.sampling().unconditional() ? null : be.placeholder("labels", batch);
    xInit = be.placeholder("x_init", batch, dim);
    noise = new FedNoise(be, batch, "solver_noise_");
    java.util.function.BiFunction<Network, Tensor, Denoiser> modelOf = (network, lab) -> {
      ConditionalDenoiser cd = model.network() != null
          ? new BatchedDenoiser(network, manifest.parameterisation())
          : model.denoiser(manifest.parameterisation(), manifest.schedule());
      Condition condition = lab == null ? Condition.none() : new Condition(lab);
      return manifest.guidance() == null
          ? (x, p) -> cd.predict(x, p, condition)
          : manifest.guidance().guide(cd, condition);
    };
    org.diffuse4j.api.FlowMapParameterisation flowMap = manifest.flowMap();
    sampled = new ModelOf(modelOf, flowMap == null ? null : (network, lab) -> flowMap.flowMap(
        org.diffuse4j.api.FlowMapNetwork.of(network), lab == null ? Condition.none() : new Condition(lab)));
    Denoiser denoiser = modelOf.apply(model.network(), labels);
    StepGraphs stepwise = null;
    Tensor unrolled = null;
    try {
      if (stepsPerRun == 0) {
        throw new StepGraphs.Unsupported("unrolling was asked for", null);
      }
      stepwise = new StepGraphs(graph, be, manifest.solver(), manifest.schedule(), times, batch, dim, xInit, labels,
          model.network(), sampled, stepsPerRun);
    } catch (StepGraphs.Unsupported e) {
      // A solver with its own loop or a model with state across steps: unroll the whole loop.
      unrolled = unrolled();
    }
    byStep = stepwise;
    out = unrolled;
    nfe = manifest.solver().evaluations(times, manifest.schedule()) * denoiser.evaluationsPerCall();
    boolean restore = model.trainable() && checkpoint != null && checkpoint.exists();
    session = new Session(graph, SessionConfig.unoptimised(intraOp, interOp));
    if (restore) {
      checkpoint.restore(session);
      if (ema != null) {
        ema.apply(session);
      }
    }
    usesEma = ema != null;
  }

  /** The solver's whole loop built into the graph, with the model around the real network. */
  private Tensor unrolled() {
    SamplingProblem problem = sampled.problem(model.network(), labels, manifest.schedule(), times, xInit, noise);
    return manifest.solver().solve(problem).x();
  }

  /**
   * Runs one throw-away chunk so the steps are all traced, the step graphs all built and TensorFlow
   * has allocated them (or the unrolled graph) before timing starts; returns its wall time in seconds.
   */
  public double warmUp() {
    long t0 = System.nanoTime();
    runChunk(0, 0, new double[batch * dim]);
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * Number of distinct graphs of consecutive steps built so far (the first run's after construction,
   * all of them after a chunk), or 0 when the whole loop is unrolled into one graph.
   */
  public int stepGraphs() {
    return byStep == null ? 0 : byStep.structureCount();
  }

  /** Whether the steps traced so far were traced in Java, without TensorFlow ({@link StepGraphs}); false when unrolled. */
  boolean tracedInJava() {
    return byStep != null && byStep.tracedInJava();
  }

  /** Steps traced so far ({@link StepTrace}; the initial state counts as one), or 0 when unrolled. */
  int tracedSteps() {
    return byStep == null ? 0 : byStep.tracedSteps();
  }

  /** Number of ops in the sampling graph (network, weights and every step graph). */
  public int graphOps() {
    int n = 0;
    for (java.util.Iterator<?> it = graph.operations(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }

  /** Whether the weights are the checkpoint's EMA weights. */
  public boolean usesEma() {
    return usesEma;
  }

  /** Network evaluations per sample. */
  public int nfe() {
    return nfe;
  }

  /** The grid the solver visits. */
  public double[] times() {
    return times.clone();
  }

  /** The chunk size B. */
  public Chunks chunks() {
    return chunks;
  }

  /**
   * {@code n} samples, row-major n × dim: rows 0 … n−1 of {@link #sampleRows}. {@code initNoise}
   * (standard normal, at least n rows) replaces the drawn initial noise when not null.
   */
  public double[] sample(long seed, int n, double[] initNoise, PrintStream console) {
    return sampleRows(seed, 0, n, initNoise, console);
  }

  /**
   * Samples {@code count} whole chunks from chunk {@code firstChunk} on: global rows
   * [firstChunk·B, (firstChunk + count)·B), row-major. The same bits as those rows of any other call
   * with the same B, so chunk ranges can be computed separately (in other processes) and joined.
   */
  public double[] sampleChunks(long seed, long firstChunk, int count) {
    return sampleRows(seed, chunks.first(firstChunk), count * batch, null, null);
  }

  /**
   * Samples global rows [firstRow, firstRow + n), row-major n × dim; {@code firstRow} must be a
   * multiple of B. {@code initNoise} (rows firstRow … firstRow + n − 1, standard normal) replaces the
   * drawn initial noise when not null; the padding rows of the last chunk then start from 0.
   * {@code console} gets a progress bar, or nothing when null.
   */
  public double[] sampleRows(long seed, long firstRow, int n, double[] initNoise, PrintStream console) {
    chunks.chunkAt(firstRow);
    double[] all = new double[n * dim];
    Progress progress = console == null ? null : new Progress("sample", n, "samples", console);
    try {
      for (int start = 0; start < n; start += batch) {
        double[] eps = initNoise != null
            ? chunks.padded(initNoise, dim, start, n)
            : CounterNoise.gaussian(seed, firstRow + start, batch, dim, 0);
        chunks.unpad(runChunk(seed, firstRow + start, eps), dim, start, n, all);
        if (progress != null) {
          progress.update(start + chunks.rows(start, n), "");
        }
      }
    } finally {
      if (progress != null) {
        progress.close();
      }
    }
    return all;
  }

  /** One chunk: global rows first … first+B−1 (first a multiple of B), starting from σ(t₀)·eps. */
  private double[] runChunk(long seed, long first, double[] eps) {
    double s0 = manifest.schedule().sigma(times[0]);
    double[] x = new double[eps.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = s0 * eps[i];
    }
    List<org.tensorflow.Tensor> open = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      org.tensorflow.Tensor xt = Feeds.tensor(precision, x, batch, dim);
      open.add(xt);
      r.feed(xInit.op(), xt);
      org.tensorflow.Tensor lt = null;
      if (labels != null) {
        int classes = manifest.data().classes();
        double[] l = new double[batch];
        for (int i = 0; i < batch; i++) {
          l[i] = manifest.sampling().labelOf(first + i, classes);
        }
        lt = Feeds.tensor(precision, l, batch);
        open.add(lt);
        r.feed(labels.op(), lt);
      }
      if (byStep != null) {
        try {
          return byStep.run(session, xt, lt, seed, first);
        } catch (StepGraphs.Unsupported e) {
          // a step that only a later run reaches cannot run on its own: unroll the whole loop from
          // now on (the same bits as the step graphs, so the chunks run before stay valid)
          byStep.close();
          byStep = null;
          out = unrolled();
        }
      }
      open.addAll(noise.feed(r, seed, first));
      try (Result res = r.fetch(out.op()).run()) {
        return Feeds.values(res.get(0));
      }
    } finally {
      open.forEach(org.tensorflow.Tensor::close);
    }
  }

  /**
   * Median wall time in ms of one network evaluation alone at this batch size (a forward pass fed
   * like the solver's first step), the denominator of the engine-overhead figure.
   */
  public double networkEvalMillis(int repeats) {
    Backend be = xInit.backend();
    // a guidance-distilled student reads w: time it at w = 1
    Condition probe = manifest.network().readsGuidanceScale() ? Condition.none().withScale(be.scalar(1)) : Condition.none();
    Tensor single = model.network() != null
        ? model.network().apply(xInit, manifest.parameterisation().networkTime(
            org.diffuse4j.api.PathPoint.at(manifest.schedule(), times[0], be)), probe)
        : model.denoiser(manifest.parameterisation(), manifest.schedule())
            .predict(xInit, org.diffuse4j.api.PathPoint.at(manifest.schedule(), times[0], be), Condition.none()).x0();
    double[] x = CounterNoise.gaussian(0, 0, batch, dim, 0);
    double[] ms = new double[repeats + 1];
    try (org.tensorflow.Tensor xt = Feeds.tensor(precision, x, batch, dim)) {
      for (int i = 0; i <= repeats; i++) {
        long t0 = System.nanoTime();
        session.runner().feed(xInit.op(), xt).fetch(single.op()).run().close();
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
    }
    double[] timed = java.util.Arrays.copyOfRange(ms, 1, ms.length); // the first run warms up
    java.util.Arrays.sort(timed);
    return timed[timed.length / 2];
  }

  @Override
  public void close() {
    if (byStep != null) {
      byStep.close();
    }
    session.close();
    graph.close();
  }
}
