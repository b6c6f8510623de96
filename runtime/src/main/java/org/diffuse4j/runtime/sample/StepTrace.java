package org.diffuse4j.runtime.sample;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.runtime.graph.RecordingGraph;
import org.diffuse4j.runtime.graph.ShapeGraph;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TType;

/**
 * A cursor over a solver's steps that traces them one run of consecutive steps at a time
 * ({@link #next}), so that only the steps about to be run are traced. Each step's unchanged Java
 * code ({@link Solver#init}/{@link Solver#step}) is built through a {@link RecordingGraph} with the
 * network stood in by an identity, which gives the step's signature (its ops with every floating
 * scalar as a parameter), its scalars and the noise streams it asks for. Steps are traced in Java
 * ({@link ShapeGraph}: no TensorFlow op, a few microseconds per op) until one cannot be (an op or a
 * shape the Java trace does not infer); that step and every later one are then traced into
 * throw-away TensorFlow graphs (about 1 ms per step), which decide. Signatures of the two kinds are
 * numbered apart, so a step traced in TensorFlow never shares a graph with one traced in Java.
 */
final class StepTrace implements AutoCloseable {
  /** One traced step: its signature's number, its floating scalars, its noise streams, and its input state's k and nfe. */
  record Step(int signature, double[] params, long[] streams, int k, int nfe) {}

  /**
   * Consecutive steps as traced, from step {@code first} (the initial state counts as step 0), with
   * the shapes of the state they start from (none for the initial state).
   */
  record Run(int first, List<long[]> shapes, List<Step> steps) {
    /** The sequence of signatures: runs with the same key share one graph. */
    String key() {
      StringBuilder sb = new StringBuilder();
      for (Step s : steps) {
        sb.append(s.signature()).append(',');
      }
      return sb.toString();
    }
  }

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

  /** Ops traced into one throw-away graph before it is replaced by a new one. */
  private static final int SCRATCH_OPS = 2_000;

  private final Solver solver;
  private final int batch;
  private final int dim;
  private final int stepsPerRun;
  private final boolean conditional;
  private final int gridSteps;
  private final RecordingGraph rec = new RecordingGraph(new ShapeGraph(), true);
  private final Backend tb;
  private final Current<TType> xin = new Current<>();
  private final Current<TType> lab = new Current<>();
  private final StepGraphs.SlotNoise noise;
  private final SamplingProblem problem;
  private final Map<String, Integer> signatures = new HashMap<>();
  /** Where the steps are traced now: a {@link ShapeGraph} until a step cannot be traced in Java, then a {@link Graph}. */
  private ExecutionEnvironment scratch;
  private Ops raw;
  private boolean inJava = true;
  /** The next step to trace (−1: the initial state), the state it starts from and that state's shapes. */
  private int step = -1;
  private SolverState prev;
  private List<long[]> shapes = List.of();

  /**
   * A cursor before the initial state of {@code solver} over {@code times}; {@code model} makes the
   * sampled model around the network's stand-in (null when {@code network} is null, analytic models).
   */
  StepTrace(Precision precision, Solver solver, Schedule schedule, double[] times, int batch, int dim,
      boolean conditional, Network network, ModelOf model, int stepsPerRun) {
    this.solver = solver;
    this.batch = batch;
    this.dim = dim;
    this.stepsPerRun = stepsPerRun;
    this.conditional = conditional;
    this.gridSteps = times.length;
    this.tb = new Backend(Ops.create(rec), precision);
    // The network stood in by an identity of x that also reads t and the labels, so that what
    // the step gives the network is part of its signature (the network's output has x's shape).
    Network standIn = network == null ? null : (x, t, c) -> {
      List<Operand<?>> in = new ArrayList<>(List.of(x.op(), t.op()));
      if (c.isConditional()) {
        in.add(c.labels().op());
      }
      return x.backend().wrap(x.backend().tf().identityN(in).output().get(0));
    };
    this.noise = new StepGraphs.SlotNoise(batch);
    this.problem = model.problem(standIn, conditional ? tb.wrap(lab) : null, schedule, times, tb.wrap(xin), noise);
  }

  /** Whether every step traced so far was traced in Java. */
  boolean inJava() {
    return inJava;
  }

  /** Steps traced so far (the initial state counts as one). */
  int traced() {
    return step + 1;
  }

  /**
   * Traces the next run of up to {@code stepsPerRun} steps; null once the solver has reached the
   * grid's end. Throws {@link StepGraphs.Unsupported} when a step cannot be traced on its own (it
   * reads a tensor from outside itself, or the model carries state across steps).
   */
  Run next() {
    if (prev != null && prev.done(problem)) {
      close();
      return null;
    }
    int first = step + 1;
    List<long[]> start = shapes;
    List<Step> steps = new ArrayList<>();
    while (steps.size() < stepsPerRun && (prev == null || !prev.done(problem))) {
      if (step > gridSteps) {
        throw new IllegalStateException("the solver has not reached the grid's end after " + step + " steps");
      }
      steps.add(traceStep());
      step++;
    }
    return new Run(first, start, steps);
  }

  /** Traces {@link #step} in Java, or in TensorFlow when it (or an earlier step) cannot be traced in Java. */
  private Step traceStep() {
    if (inJava) {
      try {
        return traceStepInScratch();
      } catch (RuntimeException | LinkageError e) { // LinkageError: org.tensorflow.TracedOperation not loadable
        inJava = false;
        close(); // the next scratch is a TensorFlow graph
      }
    }
    return traceStepInScratch();
  }

  /** Traces {@link #step} into the current scratch graph (a new one when there is none or it is full). */
  private Step traceStepInScratch() {
    if (scratch == null || rec.size() > SCRATCH_OPS) {
      // a few thousand steps' ops per throw-away graph: creating and deleting graphs costs too
      close();
      scratch = inJava ? new ShapeGraph() : new Graph();
      raw = Ops.create(scratch);
      rec.use(scratch);
      rec.clearSize();
    }
    rec.begin();
    String sfx = "_" + (step + 1);
    xin.now = StepGraphs.placeholder(raw, tb, "x_init" + sfx, new long[] {batch, dim});
    rec.input(xin.now, "x_init");
    if (conditional) {
      lab.now = StepGraphs.placeholder(raw, tb, "labels" + sfx, new long[] {batch});
      rec.input(lab.now, "labels");
    }
    Ops tf = raw;
    noise.begin((j, shape) -> {
      Operand<TType> p = StepGraphs.placeholder(tf, tb, "noise" + j + sfx, shape);
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
          Operand<TType> p = StepGraphs.placeholder(raw, tb, "s" + j + sfx, shapes.get(j));
          rec.input(p, "s" + j);
          state.add(tb.wrap(p));
        }
        in = new SolverState(prev.k(), state.get(0), state.subList(1, state.size()), prev.nfe());
        out = solver.step(problem, in);
      }
      if (problem.model().next() != problem.model()) {
        throw new StepGraphs.Unsupported("the model carries state from one step to the next (Denoiser.next)", null);
      }
      rec.note(step < 0 ? "init" : "step");
      for (Tensor t : StepGraphs.stateOf(out)) {
        rec.note("out " + rec.ref(t.op().asOutput()));
      }
    } catch (RecordingGraph.Unrecorded | IllegalArgumentException e) {
      throw new StepGraphs.Unsupported("step " + step + " cannot be traced on its own: " + e.getMessage(), e);
    }
    String key = (inJava ? "java\n" : "tensorflow\n") + rec.signature();
    Integer id = signatures.get(key);
    if (id == null) {
      id = signatures.size();
      signatures.put(key, id);
    }
    List<long[]> next = new ArrayList<>();
    for (Tensor t : StepGraphs.stateOf(out)) {
      next.add(t.shape().asArray());
    }
    shapes = next;
    prev = out;
    return new Step(id, rec.params(), noise.streams(), in == null ? 0 : in.k(), in == null ? 0 : in.nfe());
  }

  /** Closes the current throw-away TensorFlow graph, if any, and forgets the scratch graph. */
  @Override
  public void close() {
    if (scratch instanceof Graph g) {
      g.close();
    }
    scratch = null;
  }
}
