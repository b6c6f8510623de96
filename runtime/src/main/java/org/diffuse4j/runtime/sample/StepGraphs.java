package org.diffuse4j.runtime.sample;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.NoiseSource;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.runtime.graph.RecordingGraph;
import org.diffuse4j.runtime.graph.ShapeGraph;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.family.TType;

/**
 * A solver run a few steps per {@code Session.run}, with one graph per distinct sequence of step
 * structures. A {@link StepTrace} traces each step's Java code (the unchanged {@link Solver#init}/
 * {@link Solver#step}) with the network stood in by an identity, in Java objects ({@link ShapeGraph})
 * or, for a step the Java trace cannot do and every step after it, in throw-away TensorFlow graphs:
 * that gives the step's signature (its ops with every floating scalar as a parameter), the scalars
 * and the noise streams it asks for. The steps are cut into runs of {@code stepsPerRun} (the
 * initial state counts as step 0); runs with the same sequence of signatures (all runs of steady
 * steps, typically) share one graph, built once with the real network, and each run feeds its own
 * scalars and noise; the solver state (x and history) stays in TensorFlow tensors between runs.
 * The trace runs just ahead of sampling: the constructor traces the first run and builds its graph,
 * and the first chunk traces each later run when it reaches it, building a graph only for a new
 * sequence of signatures (ops added to the graph after the session has run it); later chunks run
 * from the recorded runs (each step's scalars and noise streams: 170 bytes for a heun step). So the
 * build time does not depend on the step count, and graph memory depends on {@code stepsPerRun}
 * and the number of distinct runs (first, steady, last), not on the number of steps; the
 * computation is the unrolled graph's op for op, so the samples are bitwise the same.
 */
final class StepGraphs {
  /** Why a solver or model cannot run step by step; the engine then unrolls the loop instead. */
  static final class Unsupported extends RuntimeException {
    Unsupported(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Output source: the x_init feed (the state before any op, as {@link Solver#init} returns it). */
  private static final int X_INIT = Integer.MIN_VALUE;

  /** Steps per graph and {@code Session.run} by default: a 50-step run is one graph, as before. */
  static final int STEPS_PER_RUN = 64;

  /**
   * One step structure in the sampling graph: its state and noise placeholders, its scalar
   * constants (fed for the steps whose value differs), the outputs to fetch, and where each output
   * state entry comes from (≥ 0: fetch i; −1−j: input state j passed through; {@link #X_INIT}).
   */
  private record Structure(List<Tensor> stateIn, List<List<Tensor>> noiseIn, List<List<Long[]>> noiseShapes,
      List<List<Operation>> paramOps, double[][] baked, boolean[][] varying, List<Output<?>> fetches, int[] sources) {}

  /** Noise as placeholders made by the step being traced or built, one per stream asked for. */
  static final class SlotNoise implements NoiseSource {
    private final int batch;
    private BiFunction<Integer, long[], Tensor> make;
    private final List<Long> streams = new ArrayList<>();
    private final List<Tensor> slots = new ArrayList<>();
    private final List<Long[]> shapes = new ArrayList<>();

    SlotNoise(int batch) {
      this.batch = batch;
    }

    void begin(BiFunction<Integer, long[], Tensor> maker) {
      this.make = maker;
      streams.clear();
      slots.clear();
      shapes.clear();
    }

    @Override
    public Tensor gaussian(long stream, Tensor like) {
      int i = streams.indexOf(stream);
      if (i >= 0) {
        return slots.get(i);
      }
      long[] shape = like.shape().asArray();
      shape[0] = batch;
      Long[] boxed = new Long[shape.length];
      for (int d = 0; d < shape.length; d++) {
        if (shape[d] < 0) {
          throw new IllegalArgumentException("noise needs a known shape apart from the batch, got " + like.shape());
        }
        boxed[d] = shape[d];
      }
      Tensor t = make.apply(slots.size(), shape);
      streams.add(stream);
      slots.add(t);
      shapes.add(boxed);
      return t;
    }

    long[] streams() {
      return streams.stream().mapToLong(Long::longValue).toArray();
    }
  }

  /** A traced run of steps and the graph (structure) that runs it. */
  private record Traced(StepTrace.Run run, Structure structure) {}

  private final Precision precision;
  private final int batch;
  private final Tensor xInit;
  private final Tensor labels;
  private final StepTrace trace;
  /** What builds a new run graph into the sampling graph: the real network behind {@link RecordingGraph#opaque}. */
  private final Backend be;
  private final Backend rb;
  private final RecordingGraph rec;
  private final Solver solver;
  private final SlotNoise noise;
  private final SamplingProblem problem;
  private final List<Structure> structures = new ArrayList<>();
  private final Map<String, Structure> structureOf = new HashMap<>();
  /** The runs traced so far, in order; the trace continues when sampling reaches the last of them. */
  private final List<Traced> runs = new ArrayList<>();
  private boolean traceDone;

  /**
   * Traces the first run of {@code stepsPerRun} steps of {@code solver} over {@code times} and
   * builds its graph into {@code graph}; later runs are traced, and their graphs built, when the
   * first chunk reaches them ({@link #run}). {@code model} makes the sampler's model from a network
   * (null for analytic models) and a labels tensor (null when unconditional); {@code xInit} and
   * {@code labels} are the graph's placeholders. Throws {@link Unsupported} when the run cannot be
   * split into steps: the solver overrides {@link Solver#solve}, the model carries state across
   * steps ({@link Denoiser#next()}), or a step reads a tensor from outside itself ({@link #run}
   * throws it too, for a step that only a later run reaches).
   */
  StepGraphs(Graph graph, Backend be, Solver solver, Schedule schedule, double[] times, int batch, int dim,
      Tensor xInit, Tensor labels, Network network, ModelOf model, int stepsPerRun) {
    this.precision = be.precision();
    this.batch = batch;
    this.xInit = xInit;
    this.labels = labels;
    this.be = be;
    this.solver = solver;
    try {
      if (solver.getClass().getMethod("solve", SamplingProblem.class).getDeclaringClass() != Solver.class) {
        throw new Unsupported("the solver runs its own loop (it overrides solve)", null);
      }
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
    this.trace = new StepTrace(be.precision(), solver, schedule, times, batch, dim, labels != null, network, model,
        stepsPerRun);
    this.rec = new RecordingGraph(graph, false);
    this.rb = new Backend(Ops.create(rec).withSubScope("steps"), be.precision());
    Network opaque = network == null ? null : (x, t, c) -> rec.opaque(() -> network.apply(x, t, c));
    this.noise = new SlotNoise(batch);
    this.problem = model.problem(opaque, labels == null ? null : rb.wrap(labels.op()), schedule, times,
        rb.wrap(xInit.op()), noise);
    try {
      runAt(0);
    } catch (RuntimeException e) {
      trace.close();
      throw e;
    }
  }

  /**
   * Run {@code r} of the steps, traced (and its graph built, when its sequence of signatures is
   * new) if it was not yet; null past the last run. The scalars of a run that differ from those
   * its graph was built with are marked to be fed, for this run and every later one of that graph.
   */
  private synchronized Traced runAt(int r) {
    while (runs.size() <= r && !traceDone) {
      StepTrace.Run run = trace.next();
      if (run == null) {
        traceDone = true;
        break;
      }
      Structure s = structureOf.get(run.key());
      if (s == null) {
        s = buildRun(run, "run" + structures.size() + "_");
        structures.add(s);
        structureOf.put(run.key(), s);
      }
      for (int j = 0; j < s.baked().length; j++) {
        double[] p = run.steps().get(j).params();
        for (int i = 0; i < p.length; i++) {
          s.varying()[j][i] |= p[i] != s.baked()[j][i];
        }
      }
      runs.add(new Traced(run, s));
    }
    return r < runs.size() ? runs.get(r) : null;
  }

  /** Builds the steps of {@code run} as one graph, its names prefixed with {@code prefix}. */
  private Structure buildRun(StepTrace.Run run, String prefix) {
    List<Tensor> stateIn = new ArrayList<>();
    for (long[] shape : run.shapes()) {
      stateIn.add(rb.wrap(be.placeholder(prefix + "s" + stateIn.size(), shape).op()));
    }
    List<Tensor> state = stateIn;
    List<List<Tensor>> noiseIn = new ArrayList<>();
    List<List<Long[]>> noiseShapes = new ArrayList<>();
    List<List<Operation>> paramOps = new ArrayList<>();
    int len = run.steps().size();
    double[][] baked = new double[len][];
    for (int j = 0; j < len; j++) {
      StepTrace.Step step = run.steps().get(j);
      String p = prefix + j + "_";
      rec.begin();
      noise.begin((slot, shape) -> rb.wrap(be.placeholder(p + "noise" + slot, shape).op()));
      SolverState out = run.first() + j == 0
          ? solver.init(problem)
          : solver.step(problem, new SolverState(step.k(), state.get(0), state.subList(1, state.size()), step.nfe()));
      baked[j] = rec.params();
      if (!java.util.Arrays.equals(baked[j], step.params())) {
        throw new Unsupported("a step builds other scalar constants with the network than without it ("
            + baked[j].length + " against " + step.params().length + ")", null);
      }
      paramOps.add(rec.paramOps());
      noiseIn.add(List.copyOf(noise.slots));
      noiseShapes.add(List.copyOf(noise.shapes));
      state = stateOf(out);
    }
    List<Output<?>> fetches = new ArrayList<>();
    int[] sources = new int[state.size()];
    for (int o = 0; o < state.size(); o++) {
      String name = state.get(o).op().op().name();
      int source = name.equals(xInit.op().op().name()) ? X_INIT : 0;
      for (int j = 0; j < stateIn.size() && source == 0; j++) {
        if (name.equals(stateIn.get(j).op().op().name())) {
          source = -1 - j;
        }
      }
      if (source == 0) {
        source = fetches.size();
        fetches.add(state.get(o).op().asOutput());
      }
      sources[o] = source;
    }
    boolean[][] varying = new boolean[len][];
    for (int j = 0; j < len; j++) {
      varying[j] = new boolean[baked[j].length];
    }
    return new Structure(stateIn, noiseIn, noiseShapes, paramOps, baked, varying, fetches, sources);
  }

  static Operand<TType> placeholder(Ops raw, Backend b, String name, long[] shape) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    Operand<TType> p = raw.withName(name).placeholder((Class) b.floatType(), Placeholder.shape(Shape.of(shape)));
    return p;
  }

  static List<Tensor> stateOf(SolverState s) {
    List<Tensor> all = new ArrayList<>();
    all.add(s.x());
    all.addAll(s.history());
    return all;
  }

  /** Whether the steps traced so far were traced in Java ({@link ShapeGraph}) rather than in TensorFlow graphs. */
  synchronized boolean tracedInJava() {
    return trace.inJava();
  }

  /** Steps traced so far (the initial state counts as one): one run's after construction, all after a chunk. */
  synchronized int tracedSteps() {
    return trace.traced();
  }

  /**
   * Number of distinct graphs of {@code stepsPerRun} consecutive steps built so far (the initial
   * state counts as a step): the first run's after construction, all of them after a chunk.
   */
  synchronized int structureCount() {
    return structures.size();
  }

  /** Closes the trace's throw-away graph, if the trace had not reached the end. */
  void close() {
    trace.close();
  }

  /**
   * One chunk: runs every step with x_init (and the labels, when conditional) fed, the noise of
   * (seed, first + i, stream) for row i, and returns the final x, row-major.
   */
  double[] run(Session session, org.tensorflow.Tensor xInitValue, org.tensorflow.Tensor labelsValue,
      long seed, long first) {
    List<org.tensorflow.Tensor> state = new ArrayList<>();
    List<Result> owners = new ArrayList<>();
    try {
      for (int run = 0; ; run++) {
        Traced traced = runAt(run);
        if (traced == null) {
          break;
        }
        Structure s = traced.structure();
        List<StepTrace.Step> steps = traced.run().steps();
        Result res = null;
        if (!s.fetches().isEmpty()) {
          List<org.tensorflow.Tensor> open = new ArrayList<>();
          try {
            Session.Runner r = session.runner();
            r.feed(xInit.op(), xInitValue);
            if (labels != null) {
              r.feed(labels.op(), labelsValue);
            }
            for (int j = 0; j < s.stateIn().size(); j++) {
              r.feed(s.stateIn().get(j).op(), state.get(j));
            }
            for (int j = 0; j < s.baked().length; j++) {
              long[] st = steps.get(j).streams();
              for (int n = 0; n < st.length; n++) {
                Long[] boxed = s.noiseShapes().get(j).get(n);
                long[] shape = new long[boxed.length];
                int per = 1;
                for (int d = 0; d < shape.length; d++) {
                  shape[d] = boxed[d];
                  per *= d > 0 ? (int) shape[d] : 1;
                }
                org.tensorflow.Tensor t = Feeds.tensor(precision, CounterNoise.gaussian(seed, first, batch, per, st[n]), shape);
                open.add(t);
                r.feed(s.noiseIn().get(j).get(n).op(), t);
              }
              double[] p = steps.get(j).params();
              for (int n = 0; n < p.length; n++) {
                if (s.varying()[j][n]) {
                  org.tensorflow.Tensor t = Feeds.scalar(precision, p[n]);
                  open.add(t);
                  r.feed(s.paramOps().get(j).get(n).output(0), t);
                }
              }
            }
            for (Output<?> o : s.fetches()) {
              r.fetch(o);
            }
            res = r.run();
          } finally {
            open.forEach(org.tensorflow.Tensor::close);
          }
        }
        List<org.tensorflow.Tensor> nextState = new ArrayList<>();
        List<Result> nextOwners = new ArrayList<>();
        for (int src : s.sources()) {
          if (src == X_INIT) {
            nextState.add(xInitValue);
            nextOwners.add(null);
          } else if (src < 0) {
            nextState.add(state.get(-1 - src));
            nextOwners.add(owners.get(-1 - src));
          } else {
            nextState.add(res.get(src));
            nextOwners.add(res);
          }
        }
        Set<Result> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(nextOwners);
        Set<Result> dropped = Collections.newSetFromMap(new IdentityHashMap<>());
        dropped.addAll(owners);
        if (res != null) {
          dropped.add(res);
        }
        dropped.removeAll(kept);
        dropped.remove(null);
        dropped.forEach(Result::close);
        state = nextState;
        owners = nextOwners;
      }
      return Feeds.values(state.get(0));
    } finally {
      Set<Result> all = Collections.newSetFromMap(new IdentityHashMap<>());
      all.addAll(owners);
      all.remove(null);
      all.forEach(Result::close);
    }
  }
}
