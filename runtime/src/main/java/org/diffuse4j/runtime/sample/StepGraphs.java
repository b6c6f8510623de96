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
import org.tensorflow.ExecutionEnvironment;
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
 * structures. Each step's Java code (the unchanged {@link Solver#init}/{@link Solver#step}) is first
 * traced through a {@link RecordingGraph}, with the network stood in by an identity: that gives the
 * step's signature (its ops with every floating scalar as a parameter), the scalars and the noise
 * streams it asks for. The trace builds no TensorFlow op: it runs in a {@link ShapeGraph}, which
 * records each op in Java with its shapes inferred (a few microseconds per op); when a step uses
 * an op or shape the Java trace does not infer, every step is traced again into throw-away
 * TensorFlow graphs (about 1 ms per step), which decide. The steps are then cut into runs of
 * {@code stepsPerRun} (the initial state counts as step 0); runs with the same sequence of
 * signatures (all runs of steady steps, typically) share one graph, built once with the real
 * network, and each run feeds its own scalars and noise; the solver state (x and history) stays in
 * TensorFlow tensors between runs. Graph memory so depends on {@code stepsPerRun} and the number of
 * distinct runs (first, steady, last), not on the number of steps; the computation is the unrolled
 * graph's op for op, so the samples are bitwise the same. What still grows with the step count is
 * the Java trace (the solver's own arithmetic and a few small objects per op) and the per-step
 * scalars kept for feeding.
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

  /** Ops traced into one throw-away graph before it is replaced by a new one. */
  private static final int SCRATCH_OPS = 2_000;

  /**
   * One step structure in the sampling graph: its state and noise placeholders, its scalar
   * constants (fed for the steps whose value differs), the outputs to fetch, and where each output
   * state entry comes from (≥ 0: fetch i; −1−j: input state j passed through; {@link #X_INIT}).
   */
  private record Structure(List<Tensor> stateIn, List<List<Tensor>> noiseIn, List<List<Long[]>> noiseShapes,
      List<List<Operation>> paramOps, double[][] baked, boolean[][] varying, List<Output<?>> fetches, int[] sources) {}

  /** An operand that stands for whichever op is current (x_init and labels of the step being traced). */
  private static final class Current<T extends TType> implements Operand<T> {
    private Operand<T> now;

    @Override
    public Output<T> asOutput() {
      return now.asOutput();
    }

    @Override
    public Operation op() {
      return now.op();
    }
  }

  /** Noise as placeholders made by the step being traced or built, one per stream asked for. */
  private static final class SlotNoise implements NoiseSource {
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

  private final Precision precision;
  private final int batch;
  private final int stepsPerRun;
  private final Tensor xInit;
  private final Tensor labels;
  private final List<Structure> structures = new ArrayList<>();
  private final int[] plan;
  private int[] runPlan;
  private final double[][] params;
  private final long[][] streams;
  /** Per plan entry: the step's input state's k and nfe (0 for the initial state). */
  private final List<Integer> kList = new ArrayList<>();
  private final List<Integer> nfeList = new ArrayList<>();
  private final boolean tracedInJava;

  /**
   * Traces every step of {@code solver} over {@code times} and builds one subgraph per distinct run
   * of {@code stepsPerRun} step structures into {@code graph}. {@code model} makes the sampler's model from a network (null
   * for analytic models) and a labels tensor (null when unconditional); {@code xInit} and
   * {@code labels} are the graph's placeholders. Throws {@link Unsupported} when the run cannot be
   * split into steps: the solver overrides {@link Solver#solve}, the model carries state across
   * steps ({@link Denoiser#next()}), or a step reads a tensor from outside itself.
   */
  StepGraphs(Graph graph, Backend be, Solver solver, Schedule schedule, double[] times, int batch, int dim,
      Tensor xInit, Tensor labels, Network network, ModelOf model, int stepsPerRun) {
    this.precision = be.precision();
    this.batch = batch;
    this.stepsPerRun = stepsPerRun;
    this.xInit = xInit;
    this.labels = labels;
    try {
      if (solver.getClass().getMethod("solve", SamplingProblem.class).getDeclaringClass() != Solver.class) {
        throw new Unsupported("the solver runs its own loop (it overrides solve)", null);
      }
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
    List<Integer> planList = new ArrayList<>();
    List<double[]> paramList = new ArrayList<>();
    List<long[]> streamList = new ArrayList<>();
    List<List<long[]>> firstShapes = new ArrayList<>();
    tracedInJava = trace(be.precision(), solver, schedule, times, dim, network, model,
        planList, paramList, streamList, firstShapes);
    plan = planList.stream().mapToInt(Integer::intValue).toArray();
    params = paramList.toArray(double[][]::new);
    streams = streamList.toArray(long[][]::new);
    build(graph, be, solver, schedule, times, network, model, firstShapes, stepsPerRun);
  }

  /**
   * Traces every step, in Java ({@link ShapeGraph}: no TensorFlow call, microseconds per op) when
   * every op of every step can be, else (anything the Java trace refuses or fails on) again in
   * throw-away TensorFlow graphs, which decide. Returns whether the Java trace was used.
   */
  private boolean trace(Precision precision, Solver solver, Schedule schedule, double[] times, int dim, Network network,
      ModelOf model, List<Integer> planList, List<double[]> paramList,
      List<long[]> streamList, List<List<long[]>> firstShapes) {
    try {
      traceSteps(new RecordingGraph(new ShapeGraph(), true), true, precision, solver, schedule, times, dim, network,
          model, planList, paramList, streamList, firstShapes);
      return true;
    } catch (RuntimeException | LinkageError e) { // LinkageError: org.tensorflow.TracedOperation not loadable
      for (List<?> l : List.of(planList, paramList, streamList, firstShapes, kList, nfeList)) {
        l.clear();
      }
    }
    try (Graph setup = new Graph()) {
      traceSteps(new RecordingGraph(setup, true), false, precision, solver, schedule, times, dim, network, model,
          planList, paramList, streamList, firstShapes);
    }
    return false;
  }

  private void traceSteps(RecordingGraph rec, boolean inJava, Precision precision, Solver solver, Schedule schedule, double[] times,
      int dim, Network network, ModelOf model, List<Integer> planList,
      List<double[]> paramList, List<long[]> streamList, List<List<long[]>> firstShapes) {
    Backend tb = new Backend(Ops.create(rec), precision);
    Current<TType> xin = new Current<>();
    Current<TType> lab = new Current<>();
    // The network stood in by an identity of x that also reads t and the labels, so that what
    // the step gives the network is part of its signature (the network's output has x's shape).
    Network standIn = network == null ? null : (x, t, c) -> {
      List<Operand<?>> in = new ArrayList<>(List.of(x.op(), t.op()));
      if (c.isConditional()) {
        in.add(c.labels().op());
      }
      return x.backend().wrap(x.backend().tf().identityN(in).output().get(0));
    };
    SlotNoise noise = new SlotNoise(batch);
    SamplingProblem problem = model.problem(standIn, labels == null ? null : tb.wrap(lab), schedule, times,
        tb.wrap(xin), noise);
    Map<String, Integer> ids = new HashMap<>();
    List<long[]> shapes = List.of();
    SolverState prev = null;
    ExecutionEnvironment scratch = null;
    Ops raw = null;
    try {
    for (int step = -1; prev == null || !prev.done(problem); step++) {
      if (step > times.length) {
        throw new IllegalStateException("the solver has not reached the grid's end after " + step + " steps");
      }
      if (scratch == null || rec.size() > SCRATCH_OPS) {
        // a few thousand steps' ops per throw-away graph: creating and deleting graphs costs too
        if (scratch instanceof Graph g) {
          g.close();
        }
        scratch = inJava ? new ShapeGraph() : new Graph();
        raw = Ops.create(scratch);
        rec.use(scratch);
        rec.clearSize();
      }
      {
        rec.begin();
        String sfx = "_" + (step + 1);
        Ops tf = raw;
        xin.now = placeholder(raw, tb, "x_init" + sfx, new long[] {batch, dim});
        rec.input(xin.now, "x_init");
        if (labels != null) {
          lab.now = placeholder(raw, tb, "labels" + sfx, new long[] {batch});
          rec.input(lab.now, "labels");
        }
        noise.begin((j, shape) -> {
          Operand<TType> p = placeholder(tf, tb, "noise" + j + sfx, shape);
          rec.input(p, "noise" + j);
          return tb.wrap(p);
        });
        SolverState in = null;
        SolverState out;
        try {
          if (step < 0) {
            out = solver.init(problem);
          } else {
            List<Tensor> state = new ArrayList<>();
            for (int j = 0; j < shapes.size(); j++) {
              Operand<TType> p = placeholder(raw, tb, "s" + j + sfx, shapes.get(j));
              rec.input(p, "s" + j);
              state.add(tb.wrap(p));
            }
            in = new SolverState(prev.k(), state.get(0), state.subList(1, state.size()), prev.nfe());
            out = solver.step(problem, in);
          }
          if (problem.model().next() != problem.model()) {
            throw new Unsupported("the model carries state from one step to the next (Denoiser.next)", null);
          }
          rec.note(step < 0 ? "init" : "step");
          for (Tensor t : stateOf(out)) {
            rec.note("out " + rec.ref(t.op().asOutput()));
          }
        } catch (RecordingGraph.Unrecorded | IllegalArgumentException e) {
          throw new Unsupported("step " + step + " cannot be traced on its own: " + e.getMessage(), e);
        }
        String key = rec.signature();
        Integer id = ids.get(key);
        if (id == null) {
          id = ids.size();
          ids.put(key, id);
          firstShapes.add(shapes);
        }
        kList.add(in == null ? 0 : in.k());
        nfeList.add(in == null ? 0 : in.nfe());
        planList.add(id);
        paramList.add(rec.params());
        streamList.add(noise.streams());
        List<long[]> next = new ArrayList<>();
        for (Tensor t : stateOf(out)) {
          next.add(t.shape().asArray());
        }
        shapes = next;
        prev = out;
      }
    }
    } finally {
      if (scratch instanceof Graph g) {
        g.close();
      }
    }
  }

  private void build(Graph graph, Backend be, Solver solver, Schedule schedule, double[] times, Network network,
      ModelOf model, List<List<long[]>> firstShapes, int stepsPerRun) {
    RecordingGraph rec = new RecordingGraph(graph, false);
    Backend rb = new Backend(Ops.create(rec).withSubScope("steps"), be.precision());
    Network opaque = network == null ? null : (x, t, c) -> rec.opaque(() -> network.apply(x, t, c));
    SlotNoise noise = new SlotNoise(batch);
    SamplingProblem problem = model.problem(opaque, labels == null ? null : rb.wrap(labels.op()), schedule, times,
        rb.wrap(xInit.op()), noise);
    Map<String, Integer> ids = new HashMap<>();
    int runs = (plan.length + stepsPerRun - 1) / stepsPerRun;
    runPlan = new int[runs];
    for (int r = 0; r < runs; r++) {
      int start = r * stepsPerRun;
      int len = Math.min(stepsPerRun, plan.length - start);
      String key = java.util.Arrays.toString(java.util.Arrays.copyOfRange(plan, start, start + len));
      Integer id = ids.get(key);
      if (id == null) {
        id = ids.size();
        ids.put(key, id);
        structures.add(buildRun(be, rb, rec, solver, problem, noise, firstShapes.get(plan[start]), start, len, "run" + id + "_"));
      }
      runPlan[r] = id;
    }
    for (int r = 0; r < runs; r++) {
      Structure s = structures.get(runPlan[r]);
      int start = r * stepsPerRun;
      for (int j = 0; j < s.baked().length; j++) {
        for (int i = 0; i < s.baked()[j].length; i++) {
          s.varying()[j][i] |= params[start + j][i] != s.baked()[j][i];
        }
      }
    }
  }

  /** Builds steps start … start + len − 1 of the plan (plan index 0 is the initial state) as one graph. */
  private Structure buildRun(Backend be, Backend rb, RecordingGraph rec, Solver solver, SamplingProblem problem,
      SlotNoise noise, List<long[]> shapes, int start, int len, String prefix) {
    List<Tensor> stateIn = new ArrayList<>();
    for (long[] shape : shapes) {
      stateIn.add(rb.wrap(be.placeholder(prefix + "s" + stateIn.size(), shape).op()));
    }
    List<Tensor> state = stateIn;
    List<List<Tensor>> noiseIn = new ArrayList<>();
    List<List<Long[]>> noiseShapes = new ArrayList<>();
    List<List<Operation>> paramOps = new ArrayList<>();
    double[][] baked = new double[len][];
    for (int j = 0; j < len; j++) {
      int i = start + j;
      String p = prefix + j + "_";
      rec.begin();
      noise.begin((slot, shape) -> rb.wrap(be.placeholder(p + "noise" + slot, shape).op()));
      SolverState out = i == 0
          ? solver.init(problem)
          : solver.step(problem, new SolverState(kList.get(i), state.get(0), state.subList(1, state.size()), nfeList.get(i)));
      baked[j] = rec.params();
      if (!java.util.Arrays.equals(baked[j], params[i])) {
        throw new Unsupported("step " + (i - 1) + " builds other scalar constants with the network than without it ("
            + baked[j].length + " against " + params[i].length + ")", null);
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

  private static Operand<TType> placeholder(Ops raw, Backend b, String name, long[] shape) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    Operand<TType> p = raw.withName(name).placeholder((Class) b.floatType(), Placeholder.shape(Shape.of(shape)));
    return p;
  }

  private static List<Tensor> stateOf(SolverState s) {
    List<Tensor> all = new ArrayList<>();
    all.add(s.x());
    all.addAll(s.history());
    return all;
  }

  /** Whether the steps were traced in Java ({@link ShapeGraph}) rather than in TensorFlow graphs. */
  boolean tracedInJava() {
    return tracedInJava;
  }

  /** Number of distinct graphs of {@code stepsPerRun} consecutive steps (the initial state counts as a step). */
  int structureCount() {
    return structures.size();
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
      for (int run = 0; run < runPlan.length; run++) {
        Structure s = structures.get(runPlan[run]);
        int start = run * stepsPerRun;
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
              long[] st = streams[start + j];
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
              double[] p = params[start + j];
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
