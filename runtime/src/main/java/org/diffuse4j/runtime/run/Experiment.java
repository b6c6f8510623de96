package org.diffuse4j.runtime.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffuse4j.api.io.AtomicFiles;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.api.model.DataSet;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.runtime.graph.TensorFlowLogs;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.metrics.SlicedWasserstein;
import org.diffuse4j.runtime.plot.Plots;
import org.diffuse4j.runtime.sample.SamplingEngine;
import org.diffuse4j.runtime.train.Checkpoint;
import org.diffuse4j.runtime.train.Trainer;

/**
 * One {@code run}: train (or resume), sample, measure and write the run folder — the resolved
 * manifest, {@code checkpoint/}, {@code samples.npy}, {@code samples.png}, {@code loss.png},
 * {@code metrics.json} and {@code run.log}; or one {@code sample}: sample a finished run into a new
 * folder. Everything that can fail on the user's input is checked before the first file is written.
 */
public final class Experiment {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** Offsets of the seeds of the reference data draws, far from training's (public for the Java facade's evaluation). */
  public static final long REFERENCE_SEED = 1_000_003L;
  /** Offset of the seed of the second data draw, the sliced Wasserstein baseline. */
  public static final long BASELINE_SEED = 2_000_003L;

  private Experiment() {}

  /** How {@code run} treats its folder: a new (absent or empty) one, a resumed run, or a run to move aside. */
  public enum Start { NEW, RESUME, REPLACE }

  /**
   * Runs a validated manifest into {@code dir}. {@code out} gets the log lines (and is copied to
   * run.log), {@code console} the live progress bars. Returns the metrics. The caller has checked
   * what {@code dir} holds against {@code start}; this checks the rest (initial noise, checkpoint,
   * training and sampling graphs) before it writes anything.
   */
  public static Map<String, Object> run(Manifest m, Path dir, Start start, PrintStream out, PrintStream console)
      throws IOException {
    return run(m, dir, start, out, console, null, null, null);
  }

  /** {@link #run(Manifest, Path, Start, PrintStream, PrintStream)} telling {@code listener} (may be null) of every training step. */
  public static Map<String, Object> run(Manifest m, Path dir, Start start, PrintStream out, PrintStream console,
      Trainer.StepListener listener) throws IOException {
    return run(m, dir, start, out, console, listener, null, null);
  }

  /**
   * {@link #run(Manifest, Path, Start, PrintStream, PrintStream)} with the training done data-parallel
   * by {@code scaleOut} for {@code job} (null: in this process); the training graph is still built
   * here once as the check, and sampling runs here. {@code listener} (may be null) is told of every
   * training step done in this process.
   */
  public static Map<String, Object> run(Manifest m, Path dir, Start start, PrintStream out, PrintStream console,
      Trainer.StepListener listener, ScaleOut scaleOut, ScaleOut.TrainJob job) throws IOException {
    TensorFlowLogs.apply();
    boolean resume = start == Start.RESUME;
    DataSet data = m.data();
    int dim = data.dim();
    double[] init = initNoise(m, m.sampling().n(), dim);
    Checkpoint checkpoint = new Checkpoint(dir);
    if (resume) {
      AtomicFiles.recoverDirectory(checkpoint.dir()); // finish a swap a crash may have interrupted (same content)
      if (checkpoint.exists()) {
        checkpoint.verify(); // a damaged checkpoint is named before any file is written, and never loaded
      }
    }
    boolean train = m.training().steps() > 0 && trainable(m, dim);
    boolean finished = false;
    if (resume && train) {
      Checkpoint.State state = resumable(m, dir, checkpoint);
      finished = state.step() >= m.training().steps();
    }
    // Build the sampling graph once as a check (the settings, and on resume that the checkpoint fits).
    try (SamplingEngine probe = engine(m, dim, m.sampling().batch_size(),
        resume ? checkpoint : null)) {
      // nothing to run: building it is the check
    }
    Trainer trainer = train && !finished ? new Trainer(m, dim) : null;
    if (trainer != null && listener != null) {
      trainer.listener(listener);
    }
    ScaleOut.TrainJob spread = scaleOut != null && trainer != null ? job : null;
    if (spread != null) {
      trainer.close(); // built as the check; the tasks build their own
      trainer = null;
    }
    try {
      Path aside = start == Start.REPLACE ? OutputPaths.moveAside(dir) : null;
      Files.createDirectories(dir);
      try (PrintStream log = new TeeStream(out, dir.resolve("run.log"), resume)) {
        if (aside != null) {
          log.printf("moved the previous run in %s to %s%n", dir, aside);
        }
        AtomicFiles.writeString(dir.resolve("manifest.yaml"), ManifestLoader.toYaml(m.resolved()));
        log.printf("run folder: %s%n", dir.toAbsolutePath());
        Trainer here = trainer;
        Training training = spread != null ? () -> scaleOut.train(spread, checkpoint.exists(), log)
            : here == null ? null : () -> here.train(checkpoint, checkpoint.exists(), log, console);
        Trainer.Outcome trained = train(m, dim, dir, checkpoint, training, log);
        if (trainer != null) {
          trainer.close(); // free the training graph before sampling
          trainer = null;
        }
        Sampled s = sample(m, dim, init, checkpoint, console, null);
        Map<String, Object> metrics = new LinkedHashMap<>();
        measure(m, s, metrics);
        metrics.put("train_steps", trained == null ? 0 : trained.steps());
        metrics.put("train_seconds", trained == null ? 0.0 : trained.seconds());
        metrics.put("train_steps_this_run", trained == null ? 0 : trained.ran());
        metrics.put("train_ms_per_step", trained == null || trained.ran() == 0 ? null : trained.msPerStep());
        metrics.put("final_loss", trained == null ? null : trained.finalLoss());
        write(dir, m, s, metrics, log);
        log.printf("wrote %s and %s%n", dir.resolve("samples.png"), dir.resolve("metrics.json"));
        return metrics;
      }
    } finally {
      if (trainer != null) {
        trainer.close();
      }
    }
  }

  /**
   * Samples the finished run {@code runDir} with manifest {@code m} (the run's own, with other
   * sampling or guidance settings) into the new folder {@code target}: its {@code manifest.yaml},
   * {@code samples.npy}, {@code samples.png} and {@code metrics.json}. Never trains and never writes
   * into the run's own files; the folder is written beside {@code target} and renamed into place
   * when complete (an existing non-empty {@code target}, allowed by the caller's {@code --force}, is
   * moved aside).
   */
  public static Map<String, Object> sample(Manifest m, Path runDir, Path target, PrintStream out, PrintStream console)
      throws IOException {
    return sample(m, runDir, target, out, console, null, null);
  }

  /**
   * {@link #sample(Manifest, Path, Path, PrintStream, PrintStream)} with the rows computed by
   * {@code scaleOut} for {@code job} (null: in this process). The graph is still built here once, as
   * the check of the settings and for the timings' denominators; the engine's own files (e.g.
   * {@code samples.parquet}) are staged and published with the others. When the engine returns no
   * rows (too many for one process) there is no samples.npy, samples.png or sliced Wasserstein.
   */
  public static Map<String, Object> sample(Manifest m, Path runDir, Path target, PrintStream out, PrintStream console,
      ScaleOut scaleOut, ScaleOut.SampleJob job) throws IOException {
    TensorFlowLogs.apply();
    int dim = m.data().dim();
    double[] init = initNoise(m, m.sampling().n(), dim);
    if (scaleOut != null && init != null) {
      throw new OptionException("sampling.init (--init) gives the initial noise from a file, which --" + scaleOut.name()
          + " does not ship to its tasks; sample without --" + scaleOut.name() + ", or drop --init (the noise of sample i "
          + "is then drawn from (seed, i) in every task)");
    }
    Checkpoint checkpoint = new Checkpoint(runDir);
    int step = requireTrained(m, runDir, checkpoint, dim);
    Path staged = null;
    try {
      Sampled s;
      if (scaleOut == null) {
        s = sample(m, dim, init, checkpoint, console, null);
        staged = OutputPaths.staging(target);
      } else {
        Path folder = OutputPaths.staging(target);
        staged = folder;
        s = sample(m, dim, init, checkpoint, console, () -> scaleOut.sample(job, folder, out));
      }
      Map<String, Object> metrics = new LinkedHashMap<>();
      measure(m, s, metrics);
      metrics.put("run", runDir.toAbsolutePath().normalize().toString());
      metrics.put("train_steps", step);
      String header = "# samples of the run " + runDir.toAbsolutePath().normalize() + " (checkpoint at step " + step
          + "), with these settings\n";
      AtomicFiles.writeString(staged.resolve("manifest.yaml"), header + ManifestLoader.toYaml(m.resolved()));
      write(staged, m, s, metrics, new PrintStream(OutputStream.nullOutputStream()));
      Path aside = OutputPaths.publish(staged, target);
      if (aside != null) {
        out.printf("moved the previous %s to %s%n", target, aside);
      }
      out.printf("sampled %d with %d steps (NFE %d, %s weights) in %.2f s (plus %.2f s graph warm-up)%n", m.sampling().n(),
          m.sampling().steps(), s.nfe(), s.ema() ? "EMA" : "raw", s.seconds(), s.warmUpSeconds());
      if (s.samples() != null) {
        out.printf("sliced_wasserstein %.4f (baseline between two data draws %.4f)%n", metrics.get("sliced_wasserstein"),
            metrics.get("sliced_wasserstein_baseline"));
      }
      out.printf("wrote %s (%s)%n", target, String.join(", ", listing(target)));
      return metrics;
    } finally {
      OutputPaths.discard(staged);
    }
  }

  /** The names in a folder, sorted (what a command wrote). */
  private static List<String> listing(Path folder) throws IOException {
    try (var names = Files.list(folder)) {
      return names.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /**
   * The checkpoint step of a run whose training is finished (0 for a network without weights or
   * {@code training.steps: 0}); fails, naming the fix, when it has no checkpoint or an unfinished one.
   * Reads only.
   */
  public static int requireTrained(Manifest m, Path runDir, Checkpoint checkpoint, int dim) throws IOException {
    if (m.training().steps() == 0 || !trainable(m, dim)) {
      return 0;
    }
    String again = "diffuse4j run " + runDir.resolve("manifest.yaml") + " --out " + runDir;
    if (!checkpoint.exists()) {
      throw new OptionException("no checkpoint in " + runDir + ": train the run first ("
          + (Files.exists(runDir.resolve("run.log"))
              ? "its training has not saved one yet; if it was interrupted, start it again with '" + again + " --force'"
              : "'diffuse4j run MANIFEST'") + ")");
    }
    String resume = "finish it with '" + again + " --resume'";
    int step = checkpoint.state().step();
    if (step < m.training().steps()) {
      throw new OptionException("the training of " + runDir + " is unfinished (checkpoint at step " + step + " of "
          + m.training().steps() + "); this command never trains: " + resume + " first");
    }
    return step;
  }

  /** The checkpoint state a resume continues from, after checking it exists and agrees with the manifest. */
  private static Checkpoint.State resumable(Manifest m, Path dir, Checkpoint checkpoint) throws IOException {
    if (!checkpoint.exists()) {
      throw new OptionException("--resume: no checkpoint in " + dir + " yet (the run stopped before its first checkpoint"
          + " was saved); nothing was changed. Start it again with --force (the old folder is moved aside)");
    }
    Checkpoint.State state = checkpoint.state();
    if (state.step() > m.training().steps()) {
      throw new OptionException("--resume: training.steps " + m.training().steps() + " is below the checkpoint's step "
          + state.step() + " in " + checkpoint.dir() + "; training.steps may only grow (set it to " + state.step()
          + " or more); nothing was changed");
    }
    if (state.ema() != m.training().ema() > 0) {
      throw new OptionException("--resume: the checkpoint in " + checkpoint.dir() + " was saved "
          + (state.ema() ? "with" : "without") + " EMA weights; resume with the same setting (--set training.ema="
          + (state.ema() ? "0.999" : "0") + ") or start afresh with --force; nothing was changed");
    }
    return state;
  }

  /** What sampling produced and how long it took. */
  private record Sampled(double[] samples, int nfe, int batches, double seconds, double warmUpSeconds, double evalMillis,
      boolean ema, double buildSeconds) {}

  /** The sample metrics (sliced Wasserstein against fresh data draws, NFE, timings) into {@code metrics}. */
  private static void measure(Manifest m, Sampled s, Map<String, Object> metrics) {
    DataSet data = m.data();
    int dim = data.dim();
    int n = m.sampling().n();
    int proj = m.output().projections();
    if (s.samples() != null) { // null: too many rows for one process (a scale-out job's files hold them)
      double[] reference = data.sample(m.seed() + REFERENCE_SEED, 0, n);
      double[] baseline = data.sample(m.seed() + BASELINE_SEED, 0, n);
      metrics.put("sliced_wasserstein", SlicedWasserstein.distance(s.samples(), n, reference, n, dim, proj, m.seed()));
      metrics.put("sliced_wasserstein_baseline", SlicedWasserstein.distance(baseline, n, reference, n, dim, proj, m.seed()));
    }
    metrics.put("nfe", s.nfe());
    metrics.put("samples", n);
    metrics.put("ema_weights", s.ema());
    metrics.put("sample_seconds", s.seconds());
    metrics.put("sample_warmup_seconds", s.warmUpSeconds());
    metrics.put("sample_build_seconds", s.buildSeconds());
    metrics.put("sample_ms_per_step", s.seconds() * 1000 / (s.batches() * (double) m.sampling().steps()));
    metrics.put("network_eval_ms", s.evalMillis());
    // total sampling time / (NFE × one network evaluation alone), per batch
    metrics.put("engine_overhead", s.seconds() * 1000 / (s.batches() * (double) s.nfe() * s.evalMillis()));
  }

  /** Writes samples.npy, samples.png and metrics.json into {@code folder}. */
  private static void write(Path folder, Manifest m, Sampled s, Map<String, Object> metrics, PrintStream log)
      throws IOException {
    DataSet data = m.data();
    int dim = data.dim();
    int n = m.sampling().n();
    if (s.samples() == null) { // too many rows for one process: the scale-out job's files hold them
      AtomicFiles.writeString(folder.resolve("metrics.json"), JSON.writeValueAsString(metrics));
      return;
    }
    Npy.writeFloat32(folder.resolve("samples.npy"), s.samples(), n, dim);
    log.printf("sampled %d with %d steps (NFE %d, %s weights) in %.2f s (plus %.2f s graph warm-up)%n", n,
        m.sampling().steps(), s.nfe(), s.ema() ? "EMA" : "raw", s.seconds(), s.warmUpSeconds());
    if (dim == 2) {
      double[] reference = data.sample(m.seed() + REFERENCE_SEED, 0, n);
      Plots.scatter(folder.resolve("samples.png"), "samples (" + n + ") over data", reference, s.samples());
    } else {
      imageGrid(folder.resolve("samples.png"), s.samples(), n, dim, data, m.sampling().label().equals("all"));
    }
    AtomicFiles.writeString(folder.resolve("metrics.json"), JSON.writeValueAsString(metrics));
    log.printf("sliced_wasserstein %.4f (baseline between two data draws %.4f)%n", metrics.get("sliced_wasserstein"),
        metrics.get("sliced_wasserstein_baseline"));
  }

  /** Training in this process or by a {@link ScaleOut} job. */
  private interface Training {
    Trainer.Outcome run() throws IOException;
  }

  /**
   * Trains (or resumes) with {@code trainer} when the network has weights and steps &gt; 0 (a null
   * trainer: the checkpoint is already at training.steps); null when there is nothing to train.
   */
  private static Trainer.Outcome train(Manifest m, int dim, Path dir, Checkpoint checkpoint, Training trainer,
      PrintStream log) throws IOException {
    if (m.training().steps() == 0 || !trainable(m, dim)) {
      return null;
    }
    Trainer.Outcome trained;
    if (trainer == null) {
      // Finished: skip building the training graph (Adam and EMA slots take long for a large network).
      Checkpoint.State done = checkpoint.state();
      log.printf("resumed from %s at step %d%n", checkpoint.dir(), done.step());
      trained = new Trainer.Outcome(done.step(), 0, done.losses(), 0);
    } else {
      trained = trainer.run();
    }
    if (trained.ran() == 0) {
      log.printf("nothing to train: the checkpoint is at step %d%n", trained.steps());
    } else {
      log.printf("trained %d steps in %.1f s (%.2f ms/step), final loss %.5f%n", trained.ran(), trained.seconds(),
          trained.msPerStep(), trained.finalLoss());
    }
    lossPlot(dir, trained.losses());
    return trained;
  }

  /** Rows computed elsewhere (a {@link ScaleOut} job). */
  private interface Rows {
    double[] get() throws IOException;
  }

  /**
   * Samples n rows with the checkpoint's weights, in this process or, with {@code elsewhere}, by a
   * {@link ScaleOut} job; times steady-state batches after one warm-up batch.
   */
  private static Sampled sample(Manifest m, int dim, double[] init, Checkpoint checkpoint, PrintStream console,
      Rows elsewhere) throws IOException {
    int n = m.sampling().n();
    int batch = m.sampling().batch_size(); // the chunk size: never derived from n (see SamplingEngine)
    double warmUp;
    double evalMillis;
    int nfe;
    boolean ema;
    double build;
    double[] samples = null;
    long t0;
    long b0 = System.nanoTime();
    try (SamplingEngine engine = engine(m, dim, batch, checkpoint)) {
      build = (System.nanoTime() - b0) / 1e9;
      warmUp = engine.warmUp();
      evalMillis = engine.networkEvalMillis(20); // measured right before, under the same load
      nfe = engine.nfe();
      ema = engine.usesEma();
      t0 = System.nanoTime();
      if (elsewhere == null) {
        samples = engine.sample(m.samplingSeed(), n, init, console);
      }
    }
    if (elsewhere != null) {
      t0 = System.nanoTime();
      samples = elsewhere.get();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Sampled(samples, nfe, (n + batch - 1) / batch, seconds, warmUp, evalMillis, ema, build);
  }

  /**
   * The sampling engine; a plugin that cannot build its part of the graph with these settings (e.g. a
   * solver that needs an eager backend) is the user's choice to change, so its complaint is an
   * {@link OptionException}.
   */
  private static SamplingEngine engine(Manifest m, int dim, int batch, Checkpoint checkpoint) {
    try {
      return new SamplingEngine(m, dim, batch, checkpoint);
    } catch (IllegalStateException | IllegalArgumentException | UnsupportedOperationException e) {
      throw new OptionException("cannot sample with these settings (sampling.solver, sampling.grid, guidance): "
          + e.getMessage());
    }
  }

  /** Whether the manifest's network has weights to train (built into a throw-away graph). */
  static boolean trainable(Manifest m, int dim) {
    try (org.tensorflow.Graph g = new org.tensorflow.Graph()) {
      var backend = new org.diffuse4j.api.tensor.Backend(org.tensorflow.op.Ops.create(g), m.precision());
      return m.network().build(backend, dim, m.seed()).trainable();
    }
  }

  private static double[] initNoise(Manifest m, int n, int dim) throws IOException {
    return org.diffuse4j.runtime.manifest.Preflight.initNoise(m); // checked file, shape and finite values
  }

  private static void lossPlot(Path dir, List<Double> losses) throws IOException {
    int k = losses.size();
    double[] x = new double[k];
    double[] y = new double[k];
    double[] avg = new double[k];
    double ema = losses.isEmpty() ? 0 : losses.get(0);
    for (int i = 0; i < k; i++) {
      x[i] = i + 1;
      y[i] = losses.get(i);
      ema = 0.98 * ema + 0.02 * y[i];
      avg[i] = ema;
    }
    List<Plots.Series> series = new ArrayList<>();
    series.add(new Plots.Series("loss", x, y));
    series.add(new Plots.Series("moving average", x, avg));
    Plots.lines(dir.resolve("loss.png"), "training loss", "step", "loss", false, true, series);
  }

  /**
   * Square images (1 or 3 channels) as a grid: with labels cycling over K classes, one row per class
   * (sample i has class i mod K, named by the data set); otherwise up to 10 × 10 samples in drawing order.
   */
  private static void imageGrid(Path png, double[] samples, int n, int dim, DataSet data, boolean byClass)
      throws IOException {
    int classes = data.classes();
    int channels = isSquare(dim) ? 1 : isSquare(dim / 3) && dim % 3 == 0 ? 3 : 0;
    if (channels == 0) {
      return; // not an image: nothing sensible to draw
    }
    int side = (int) Math.round(Math.sqrt(dim / (double) channels));
    boolean rowsAreClasses = byClass && classes > 0 && n >= classes;
    int cols = rowsAreClasses ? Math.min(10, n / classes) : Math.min(10, n);
    int rows = rowsAreClasses ? classes : Math.min(10, (n + cols - 1) / cols);
    double[] grid = new double[rows * cols * dim];
    int shown = 0;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int i = rowsAreClasses ? r + classes * c : r * cols + c;
        if (i < n) {
          System.arraycopy(samples, i * dim, grid, shown * dim, dim);
        }
        shown++;
      }
    }
    java.util.List<String> labels = new java.util.ArrayList<>();
    for (int r = 0; r < rows; r++) {
      labels.add(rowsAreClasses ? data.className(r) : "");
    }
    Plots.imageGrid(png, grid, rows * cols, side, side, channels, cols, labels);
  }

  private static boolean isSquare(int v) {
    int r = (int) Math.round(Math.sqrt(v));
    return v > 3 && r * r == v;
  }
}
