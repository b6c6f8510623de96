package org.diffuse4j.runtime.train;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.TrainingNetworks;
import org.diffuse4j.api.model.DataSet;
import org.diffuse4j.api.model.Model;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.runtime.graph.FedNoise;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.TrainingOptions;
import org.diffuse4j.runtime.tensorboard.TrainingLog;
import org.diffuse4j.runtime.util.Progress;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * Trains a model with Adam or AdamW ({@link Updates}) in one TensorFlow graph. The graph takes the
 * batch as placeholders (x0, ε, per-example columns t, α, σ, α̇, σ̇, w, and the class labels of
 * labelled data as the condition); Java fills them for step k from the data plugin (rows k·B …
 * k·B+B−1), {@link CounterNoise} and the objective's time density and coupling ({@link BatchNoise}: for
 * reflow the data's paired noise rows instead). Every
 * input is thus a function of (seed, step), so a resumed run equals an uninterrupted one.
 * Data-parallel ({@link Shard}): task p of P feeds global rows p·B/P … (p+1)·B/P−1 of each batch and
 * applies the tasks' mean loss gradient (Goyal et al. 2017: the gradient of the mean loss over B).
 */
public final class Trainer implements AutoCloseable {
  /**
   * Task {@code index} of {@code count} in data-parallel training; {@code allReduce} gives every task
   * the same element-wise mean over the tasks. Only task 0 writes checkpoints and TensorBoard events.
   */
  public record Shard(int index, int count, AllReduce allReduce) {}

  /** The element-wise mean over all tasks of each task's arrays, identical in every task (an all-reduce). */
  @FunctionalInterface
  public interface AllReduce {
    /** {@code parts[0]} holds this task's loss, {@code parts[1…]} its gradients; returns the means, shaped alike. */
    double[][] mean(double[][] parts);
  }

  /**
   * What training produced.
   *
   * @param steps the step the model is at
   * @param ran steps run by this call (fewer than {@code steps} after a resume)
   * @param seconds wall time of the steps run by this call
   */
  public record Outcome(int steps, int ran, List<Double> losses, double seconds) {
    /** Milliseconds per step run by this call (NaN when none ran). */
    public double msPerStep() {
      return ran > 0 ? seconds * 1000 / ran : Double.NaN;
    }

    /** The last loss, or NaN when nothing was trained. */
    public double finalLoss() {
      return losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1);
    }
  }

  private final Manifest manifest;
  private final int dim;
  private final int batch;
  private final Shard shard; // null: one process
  private final int rows; // rows fed per step: batch, or batch / shard.count()
  private final int offset; // this trainer's first row within a batch
  private final Precision precision;
  private final Graph graph = new Graph();
  private final Session session;
  private final Tensor x0;
  private final Tensor eps;
  private final Tensor[] columns = new Tensor[6]; // t, alpha, sigma, alphaDot, sigmaDot, weight
  private final Tensor step; // the optimiser step k, a scalar (TrainingBatch.step)
  /** The teacher schedule's path coefficients at each example's σ/α (objectives with a teacher), or null. */
  private final Tensor[] teacherColumns;
  private final Tensor[] pairedColumns; // t, alpha, sigma, alphaDot, sigmaDot at the paired time, or null
  private final Tensor labels;
  private final FedNoise extraNoise;
  private final Tensor loss;
  private final Updates updates;
  /** The op of one training step: the optimiser update, then the target's own average if it has one. */
  private final org.tensorflow.op.Op trainStep;
  private final List<String> variableNames;
  /** The global gradient norm of the last step (before clipping). */
  private double lastGradNorm = Double.NaN;
  /** Told of every step {@link #train} runs; none by default. */
  private StepListener listener = (step, loss, lr, seconds) -> {};

  /** What {@link #train} tells after each step: the step (1-based), its loss, its learning rate, seconds since the call began. */
  @FunctionalInterface
  public interface StepListener {
    void step(int step, double loss, double learningRate, double seconds);
  }

  /** Sets the listener told of every step of {@link #train} (an exception from it stops training); returns this. */
  public Trainer listener(StepListener l) {
    this.listener = java.util.Objects.requireNonNull(l, "listener");
    return this;
  }

  /** Builds the training graph for data of width {@code dim}. */
  public Trainer(Manifest manifest, int dim) {
    this(manifest, dim, null);
  }

  /** Builds the training graph of one data-parallel task (null: one process); B must split evenly. */
  public Trainer(Manifest manifest, int dim, Shard shard) {
    this.manifest = manifest;
    this.dim = dim;
    this.batch = manifest.training().batch_size();
    this.shard = shard;
    if (shard != null && batch % shard.count() != 0) {
      throw new org.diffuse4j.api.plugin.OptionException("training.batch_size " + batch + " does not split evenly into "
          + shard.count() + " tasks; give a task count that divides it, or a batch size divisible by " + shard.count());
    }
    this.rows = shard == null ? batch : batch / shard.count();
    this.offset = shard == null ? 0 : shard.index() * rows;
    this.precision = manifest.precision();
    BatchNoise.requireAgreement(manifest.objective(), manifest.data(), manifest.resolved().get("objective"));
    Ops tf = Ops.create(graph);
    Backend be = new Backend(tf, precision);
    java.util.Set<Objective.Need> needs = manifest.objective().needs();
    List<double[]> initial = needs.contains(Objective.Need.INIT)
        ? TeacherRun.initialWeights(manifest.teacher(), manifest.network(), dim, manifest.seed(), precision) : null;
    java.util.function.UnaryOperator<org.diffuse4j.api.model.Weights> start = initial != null
        ? w -> org.diffuse4j.api.model.Weights.startingAt(initial, w, "teacher.run")
        : w -> w;
    EmaTarget emaTarget = needs.contains(Objective.Need.TARGET) ? emaTarget(manifest, be, dim, start) : null;
    Model model = emaTarget != null ? emaTarget.model
        : manifest.network().build(be, dim, manifest.seed(), start.apply(org.diffuse4j.api.model.Weights.trainable()));
    if (!model.trainable()) {
      throw new IllegalArgumentException("the network has nothing to train");
    }
    int classes = manifest.data().classes();
    if (model.classes() > 0 && classes > model.classes()) {
      throw new org.diffuse4j.api.plugin.OptionException("the data has " + classes + " classes but network.num_classes is "
          + model.classes() + "; set network.num_classes: " + classes);
    }
    LogVarianceNetwork weighting = needs.contains(Objective.Need.WEIGHTING) ? new LogVarianceNetwork(be, manifest.seed()) : null;
    List<org.tensorflow.op.core.Variable<?>> trained = new ArrayList<>(model.variables());
    if (weighting != null) {
      trained.addAll(weighting.variables());
    }
    // the optimiser's slots before the loss graph: naming them then costs a scan of a small graph
    Updates.Slots slots = Updates.slots(be, manifest.training(), trained,
        emaTarget == null ? java.util.Map.of() : emaTarget.slots);
    x0 = be.placeholder("x0", rows, dim);
    eps = be.placeholder("eps", rows, dim);
    String[] names = {"t", "alpha", "sigma", "alpha_dot", "sigma_dot", "weight"};
    for (int i = 0; i < names.length; i++) {
      columns[i] = be.placeholder(names[i], rows, 1);
    }
    extraNoise = new FedNoise(be, rows, "train_noise_");
    PathPoint point = new PathPoint(columns[0], columns[1], columns[2], columns[3], columns[4]);
    // labelled data feeds its labels as the condition (the objective may drop some to the null label)
    labels = manifest.data().classes() > 0 ? be.placeholder("labels", rows) : null;
    Condition condition = labels == null ? Condition.none() : new Condition(labels);
    PathPoint paired = null;
    if (manifest.objective().pairsTimes()) {
      pairedColumns = new Tensor[5];
      for (int i = 0; i < 5; i++) {
        pairedColumns[i] = be.placeholder("paired_" + names[i], rows, 1);
      }
      paired = new PathPoint(pairedColumns[0], pairedColumns[1], pairedColumns[2], pairedColumns[3], pairedColumns[4]);
    } else {
      pairedColumns = null;
    }
    step = be.placeholder("step");
    PathPoint atTeacher = null;
    if (needs.contains(Objective.Need.TEACHER) && manifest.teacher() != null) {
      teacherColumns = new Tensor[5];
      for (int i = 0; i < 5; i++) {
        teacherColumns[i] = be.placeholder("teacher_" + names[i], rows, 1);
      }
      atTeacher = new PathPoint(teacherColumns[0], teacherColumns[1], teacherColumns[2], teacherColumns[3],
          teacherColumns[4]);
    } else {
      teacherColumns = null;
    }
    TrainingBatch tb = new TrainingBatch(x0, eps, point, columns[5], condition, extraNoise, paired, step, atTeacher);
    TrainingNetworks networks = new TrainingNetworks(model.network(), emaTarget == null ? null : emaTarget.target,
        needs.contains(Objective.Need.TEACHER) ? teacher(manifest) : null, manifest.flowMap(), weighting);
    loss = manifest.objective().bind(manifest.schedule()).loss(tb, networks, manifest.parameterisation()).mean();

    updates = new Updates(be, manifest.training(), trained, loss, slots, shard != null);
    trainStep = emaTarget == null ? updates.train : emaTarget.follow(be, updates.train);
    variableNames = model.variables().stream().map(v -> v.op().name()).toList();
    session = new Session(graph);
  }

  /** The model with its EMA target θ⁻ (objectives that need {@link Objective.Need#TARGET}). */
  private static EmaTarget emaTarget(Manifest manifest, Backend be, int dim,
      java.util.function.UnaryOperator<org.diffuse4j.api.model.Weights> start) {
    double decay = manifest.objective().targetDecay();
    if (decay < 0 && manifest.training().ema() <= 0) {
      throw new org.diffuse4j.api.plugin.OptionException("the objective compares with the EMA target θ⁻ (the run's EMA "
          + "weights), but training.ema is 0; set training.ema > 0 (e.g. 0.999)");
    }
    return new EmaTarget(manifest.network(), be, dim, manifest.seed(), start, decay);
  }

  /** The manifest's teacher (objectives that need {@link Objective.Need#TEACHER}). */
  private static org.diffuse4j.api.Teacher teacher(Manifest manifest) {
    if (manifest.teacher() == null) {
      throw new org.diffuse4j.api.plugin.OptionException("the objective distils from a teacher, but the manifest names "
          + "none; add 'teacher: {run: DIR}' with a trained run folder");
    }
    return manifest.teacher();
  }

  /**
   * Runs steps from the checkpoint's step (or 0) to {@code training.steps}, saving checkpoints
   * every {@code checkpoint_every} steps and at the end. Lines go to {@code log}; the live progress
   * bar to {@code console}.
   */
  public Outcome train(Checkpoint checkpoint, boolean resume, PrintStream log, PrintStream console) throws IOException {
    TrainingOptions o = manifest.training();
    int start = 0;
    List<Double> losses = new ArrayList<>();
    if (resume && checkpoint.exists()) {
      Checkpoint.State s = checkpoint.state();
      if (s.ema() != o.ema() > 0) {
        throw new org.diffuse4j.api.plugin.OptionException("--resume: the checkpoint in " + checkpoint.dir() + " was saved "
            + (s.ema() ? "with" : "without") + " EMA weights; resume with the same setting (--set training.ema="
            + (s.ema() ? "0.999" : "0") + ") or start afresh without --resume");
      }
      checkpoint.restore(session);
      start = s.step();
      losses.addAll(s.losses());
      log.printf("resumed from %s at step %d%n", checkpoint.dir(), start);
    }
    int lastSaved = resume && checkpoint.exists() ? start : -1;
    long t0 = System.nanoTime();
    Progress progress = new Progress("train", o.steps(), console);
    boolean writes = shard == null || shard.index() == 0;
    TrainingLog board = writes ? new TrainingLog(manifest, dim, checkpoint.dir().getParent(), start) : null;
    try {
      for (int k = start; k < o.steps(); k++) {
        double l = step(k);
        if (!Double.isFinite(l)) {
          throw new TrainingDiverged(String.format(
              "training diverged: the loss is %s at step %d (lr %s). %s Try a lower training.lr, a training.warmup or a training.clip_norm.",
              Double.isNaN(l) ? "NaN" : "infinite", k + 1, o.lr(),
              lastSaved < 0 ? "No checkpoint had been saved yet."
                  : "The last good checkpoint (step " + lastSaved + ") is kept in " + checkpoint.dir() + "."));
        }
        losses.add(l);
        int done = k + 1;
        progress.update(done, String.format("loss %.4f", l));
        if (writes) {
          board.step(done, l, lastGradNorm);
        }
        listener.step(done, l, o.learningRate(k), (System.nanoTime() - t0) / 1e9);
        if (done % o.log_every() == 0 || done == o.steps()) {
          log.printf("step %d/%d loss %.5f%n", done, o.steps(), l);
        }
        if (writes && (done == o.steps() || (o.checkpoint_every() > 0 && done % o.checkpoint_every() == 0))) {
          checkpoint.save(session, new Checkpoint.State(done, losses, o.ema() > 0));
          lastSaved = done;
          board.checkpoint(done, checkpoint);
        }
      }
    } finally {
      progress.close();
      if (writes) {
        board.close();
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    int ran = o.steps() - start;
    return new Outcome(Math.max(start, o.steps()), Math.max(0, ran), losses, seconds);
  }

  /** One optimiser step k; returns the loss before the update. */
  double step(int k) {
    long seed = manifest.trainingSeed();
    long noiseSeed = seed + 0x9e3779b97f4a7c15L;
    long first = (long) k * batch;
    DataSet data = manifest.data();
    Objective objective = manifest.objective();
    Schedule schedule = manifest.schedule();
    double[] xb = data.sample(seed, first, batch);
    double[] eb = BatchNoise.rows(objective, data, xb, seed, noiseSeed, first, batch, dim);
    double[][] cols = new double[6][batch];
    double[][] pairedCols = new double[5][batch];
    double[][] teacherCols = new double[5][batch];
    Schedule teacherSchedule = teacherColumns == null ? null : manifest.teacher().schedule();
    for (int i = 0; i < batch; i++) {
      double t = objective.sampleTime(schedule, CounterNoise.uniform(noiseSeed, first + i, 2, 0), k);
      cols[0][i] = t;
      cols[1][i] = schedule.alpha(t);
      cols[2][i] = schedule.sigma(t);
      cols[3][i] = schedule.alphaDot(t);
      cols[4][i] = schedule.sigmaDot(t);
      cols[5][i] = objective.weight(schedule, t);
      if (pairedColumns != null) {
        double tp = objective.pairedTime(schedule, t, k, CounterNoise.uniform(noiseSeed, first + i, 2, 1));
        pairedCols[0][i] = tp;
        pairedCols[1][i] = schedule.alpha(tp);
        pairedCols[2][i] = schedule.sigma(tp);
        pairedCols[3][i] = schedule.alphaDot(tp);
        pairedCols[4][i] = schedule.sigmaDot(tp);
      }
      if (teacherSchedule != null) {
        // the teacher's time with the same σ/α (t = 0 and t at σ = 0 both give the data end)
        double lambda = Math.log(cols[1][i] / cols[2][i]);
        double tt = teacherSchedule.clamp(Double.isFinite(lambda) ? teacherSchedule.timeOfLambda(lambda)
            : lambda > 0 ? teacherSchedule.tMin() : teacherSchedule.tMax());
        teacherCols[0][i] = tt;
        teacherCols[1][i] = teacherSchedule.alpha(tt);
        teacherCols[2][i] = teacherSchedule.sigma(tt);
        teacherCols[3][i] = teacherSchedule.alphaDot(tt);
        teacherCols[4][i] = teacherSchedule.sigmaDot(tt);
      }
    }
    List<org.tensorflow.Tensor> open = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      r.feed(x0.op(), keep(open, Feeds.tensor(precision, part(xb, dim), rows, dim)));
      r.feed(eps.op(), keep(open, Feeds.tensor(precision, part(eb, dim), rows, dim)));
      for (int c = 0; c < 6; c++) {
        r.feed(columns[c].op(), keep(open, Feeds.tensor(precision, part(cols[c], 1), rows, 1)));
      }
      for (int c = 0; pairedColumns != null && c < 5; c++) {
        r.feed(pairedColumns[c].op(), keep(open, Feeds.tensor(precision, part(pairedCols[c], 1), rows, 1)));
      }
      for (int c = 0; teacherColumns != null && c < 5; c++) {
        r.feed(teacherColumns[c].op(), keep(open, Feeds.tensor(precision, part(teacherCols[c], 1), rows, 1)));
      }
      if (labels != null) {
        r.feed(labels.op(), keep(open, Feeds.tensor(precision, part(labelValues(data, seed, first), 1), rows)));
      }
      feedSchedules(r, open, k);
      open.addAll(extraNoise.feed(r, seed ^ 0x5eedL, first + offset));
      if (shard != null) {
        return averagedStep(r, open, k);
      }
      try (Result res = r.fetch(loss.op()).fetch(updates.gradNorm.op()).addTarget(trainStep).run()) {
        lastGradNorm = Feeds.scalarValue(res.get(1));
        return Feeds.scalarValue(res.get(0));
      }
    } finally {
      open.forEach(org.tensorflow.Tensor::close);
    }
  }

  /** The learning rate, β powers and EMA decay of step k. */
  private void feedSchedules(Session.Runner r, List<org.tensorflow.Tensor> open, int k) {
    TrainingOptions o = manifest.training();
    r.feed(step.op(), keep(open, Feeds.scalar(precision, k)));
    r.feed(updates.lr.op(), keep(open, Feeds.scalar(precision, o.learningRate(k))));
    r.feed(updates.beta1Power.op(), keep(open, Feeds.scalar(precision, Math.pow(Updates.BETA1, k + 1))));
    r.feed(updates.beta2Power.op(), keep(open, Feeds.scalar(precision, Math.pow(Updates.BETA2, k + 1))));
    r.feed(updates.emaDecay.op(), keep(open, Feeds.scalar(precision, k == 0 ? 0.0 : o.emaDecay(k))));
  }

  /** This trainer's rows of a whole batch's values ({@code width} per row): all of them in one process. */
  private double[] part(double[] whole, int width) {
    return shard == null ? whole : java.util.Arrays.copyOfRange(whole, offset * width, (offset + rows) * width);
  }

  /**
   * A data-parallel step: this task's loss and gradients (the inputs fed to {@code r}), their mean over
   * the tasks, then the update with the mean gradients, the same in every task. Returns the mean loss.
   */
  private double averagedStep(Session.Runner r, List<org.tensorflow.Tensor> open, int k) {
    List<Tensor> own = updates.lossGradients;
    double[][] parts = new double[own.size() + 1][];
    r.fetch(loss.op());
    own.forEach(g -> r.fetch(g.op()));
    try (Result res = r.run()) {
      parts[0] = new double[] {Feeds.scalarValue(res.get(0))};
      for (int i = 0; i < own.size(); i++) {
        parts[i + 1] = Feeds.values(res.get(i + 1));
      }
    }
    double[][] mean = shard.allReduce().mean(parts);
    Session.Runner u = session.runner();
    feedSchedules(u, open, k);
    for (int i = 0; i < own.size(); i++) {
      Tensor fed = updates.fedGradients.get(i);
      u.feed(fed.op(), keep(open, Feeds.tensor(precision, mean[i + 1], fed.shape().asArray())));
    }
    try (Result res = u.fetch(updates.gradNorm.op()).addTarget(trainStep).run()) {
      lastGradNorm = Feeds.scalarValue(res.get(0));
    }
    return mean[0][0];
  }

  /** The labels of rows first … first+B−1 as floats. */
  private double[] labelValues(DataSet data, long seed, long first) {
    int[] l = data.labels(seed, first, batch);
    double[] out = new double[batch];
    for (int i = 0; i < batch; i++) {
      out[i] = l[i];
    }
    return out;
  }

  /** The current EMA of the variable named {@code name} (training.ema &gt; 0). */
  public double[] readEma(String name) {
    return read(updates.emaNames.get(name));
  }

  /** Graph names of the trainable variables. */
  public List<String> variableNames() {
    return variableNames;
  }

  /** The current values of the variable named {@code name} (e.g. "mlp/layer0/w" or "ema/mlp/layer0/w"). */
  public double[] read(String name) {
    try (Result res = session.runner().fetch(name).run()) {
      return Feeds.values(res.get(0));
    }
  }

  private static org.tensorflow.Tensor keep(List<org.tensorflow.Tensor> open, org.tensorflow.Tensor t) {
    open.add(t);
    return t;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
