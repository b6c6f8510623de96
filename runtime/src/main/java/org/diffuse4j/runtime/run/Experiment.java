package org.diffuse4j.runtime.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.runtime.io.AtomicFiles;
import org.diffuse4j.runtime.io.Npy;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.metrics.SlicedWasserstein;
import org.diffuse4j.runtime.model.DataSet;
import org.diffuse4j.runtime.plot.Plots;
import org.diffuse4j.runtime.sample.SamplingEngine;
import org.diffuse4j.runtime.train.Checkpoint;
import org.diffuse4j.runtime.train.Trainer;

/**
 * One {@code run}: train (or resume), sample, measure and write the run folder — the resolved
 * manifest, {@code checkpoint/}, {@code samples.npy}, {@code samples.png}, {@code loss.png},
 * {@code metrics.json} and {@code run.log}.
 */
public final class Experiment {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** Offsets of the seeds of the reference data draws, far from training's. */
  private static final long REFERENCE_SEED = 1_000_003L;
  private static final long BASELINE_SEED = 2_000_003L;

  private Experiment() {}

  /**
   * Runs a validated manifest into {@code dir}. {@code out} gets the log lines (and is copied to
   * run.log), {@code console} the live progress bars. Returns the metrics.
   */
  public static Map<String, Object> run(Manifest m, Path dir, boolean resume, PrintStream out, PrintStream console)
      throws IOException {
    Files.createDirectories(dir);
    Checkpoint checkpoint = new Checkpoint(dir);
    AtomicFiles.recoverDirectory(checkpoint.dir()); // finish a swap a crash may have interrupted
    if (resume && checkpoint.exists()) {
      checkpoint.verify(); // a damaged checkpoint is named before any file is written, and never loaded
    }
    if (resume && !checkpoint.exists()) {
      throw new OptionException("--resume: no checkpoint in " + dir.toAbsolutePath() + " (run without --resume first)");
    }
    if (!resume) {
      checkpoint.delete();
    }
    try (PrintStream log = new TeeStream(out, dir.resolve("run.log"), resume)) {
      return run(m, dir, checkpoint, resume, log, console);
    }
  }

  /** What sampling produced and how long it took. */
  private record Sampled(double[] samples, int nfe, int batches, double seconds, double warmUpSeconds, double evalMillis,
      boolean ema) {}

  private static Map<String, Object> run(Manifest m, Path dir, Checkpoint checkpoint, boolean resume, PrintStream log,
      PrintStream console) throws IOException {
    AtomicFiles.writeString(dir.resolve("manifest.yaml"), ManifestLoader.toYaml(m.resolved()));
    DataSet data = m.data();
    int dim = data.dim();
    int n = m.sampling().n();
    double[] init = initNoise(m, n, dim); // read before any work, so a bad file fails fast
    log.printf("run folder: %s%n", dir.toAbsolutePath());

    Trainer.Outcome trained = train(m, dim, dir, checkpoint, resume, log, console);
    Sampled s = sample(m, dim, init, checkpoint, console);
    Npy.writeFloat32(dir.resolve("samples.npy"), s.samples(), n, dim);
    log.printf("sampled %d with %d steps (NFE %d, %s weights) in %.2f s (plus %.2f s graph warm-up)%n", n,
        m.sampling().steps(), s.nfe(), s.ema() ? "EMA" : "raw", s.seconds(), s.warmUpSeconds());

    double[] reference = data.sample(m.seed() + REFERENCE_SEED, 0, n);
    double[] baseline = data.sample(m.seed() + BASELINE_SEED, 0, n);
    int proj = m.output().projections();
    double sw = SlicedWasserstein.distance(s.samples(), n, reference, n, dim, proj, m.seed());
    double swBase = SlicedWasserstein.distance(baseline, n, reference, n, dim, proj, m.seed());
    if (dim == 2) {
      Plots.scatter(dir.resolve("samples.png"), "samples (" + n + ") over data", reference, s.samples());
    } else {
      imageGrid(dir.resolve("samples.png"), s.samples(), n, dim, data.classes(), m.sampling().label().equals("all"));
    }
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("sliced_wasserstein", sw);
    metrics.put("sliced_wasserstein_baseline", swBase);
    metrics.put("nfe", s.nfe());
    metrics.put("samples", n);
    metrics.put("ema_weights", s.ema());
    metrics.put("train_steps", trained == null ? 0 : trained.steps());
    metrics.put("train_seconds", trained == null ? 0.0 : trained.seconds());
    metrics.put("train_steps_this_run", trained == null ? 0 : trained.ran());
    metrics.put("train_ms_per_step", trained == null || trained.ran() == 0 ? null : trained.msPerStep());
    metrics.put("final_loss", trained == null ? null : trained.finalLoss());
    metrics.put("sample_seconds", s.seconds());
    metrics.put("sample_warmup_seconds", s.warmUpSeconds());
    metrics.put("sample_ms_per_step", s.seconds() * 1000 / (s.batches() * (double) m.sampling().steps()));
    metrics.put("network_eval_ms", s.evalMillis());
    // total sampling time / (NFE × one network evaluation alone), per batch
    metrics.put("engine_overhead", s.seconds() * 1000 / (s.batches() * (double) s.nfe() * s.evalMillis()));
    AtomicFiles.writeString(dir.resolve("metrics.json"), JSON.writeValueAsString(metrics));
    log.printf("sliced_wasserstein %.4f (baseline between two data draws %.4f)%n", sw, swBase);
    log.printf("wrote %s and %s%n", dir.resolve("samples.png"), dir.resolve("metrics.json"));
    return metrics;
  }

  /** Trains (or resumes) when the network has weights and steps &gt; 0; null otherwise. */
  private static Trainer.Outcome train(Manifest m, int dim, Path dir, Checkpoint checkpoint, boolean resume,
      PrintStream log, PrintStream console) throws IOException {
    if (m.training().steps() == 0 || !trainable(m, dim)) {
      return null;
    }
    Trainer.Outcome trained;
    if (resume && checkpoint.exists() && checkpoint.state().step() >= m.training().steps()) {
      // Finished: skip building the training graph (Adam and EMA slots take long for a large network).
      Checkpoint.State done = checkpoint.state();
      log.printf("resumed from %s at step %d%n", checkpoint.dir(), done.step());
      trained = new Trainer.Outcome(done.step(), 0, done.losses(), 0);
    } else {
      try (Trainer trainer = new Trainer(m, dim)) {
        trained = trainer.train(checkpoint, resume, log, console);
      }
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

  /** Samples n rows with the checkpoint's weights; times steady-state batches after one warm-up batch. */
  private static Sampled sample(Manifest m, int dim, double[] init, Checkpoint checkpoint, PrintStream console) {
    int n = m.sampling().n();
    int batch = Math.min(m.sampling().batch_size(), n);
    try (SamplingEngine engine = new SamplingEngine(m, dim, batch, checkpoint)) {
      double warmUp = engine.warmUp();
      double evalMillis = engine.networkEvalMillis(20); // measured right before, under the same load
      long t0 = System.nanoTime();
      double[] samples = engine.sample(m.samplingSeed(), n, init, console);
      double seconds = (System.nanoTime() - t0) / 1e9;
      return new Sampled(samples, engine.nfe(), (n + batch - 1) / batch, seconds, warmUp, evalMillis, engine.usesEma());
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
    String init = m.sampling().init();
    if (init.equals("none")) {
      return null;
    }
    Path p = Path.of(init);
    if (!Files.isRegularFile(p)) {
      throw new OptionException("sampling.init: file not found: " + p.toAbsolutePath());
    }
    Npy.Array a = Npy.read(p);
    int[] s = a.shape();
    if (s.length != 2 || s[1] != dim || s[0] < n) {
      throw new OptionException("sampling.init: " + p + " has shape " + java.util.Arrays.toString(s)
          + ", expected [" + n + ", " + dim + "] (at least n rows)");
    }
    return a.data();
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
   * (sample i has class i mod K); otherwise up to 10 × 10 samples in drawing order.
   */
  private static void imageGrid(Path png, double[] samples, int n, int dim, int classes, boolean byClass)
      throws IOException {
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
      labels.add(rowsAreClasses ? (classes == 10 && side == 28 ? FASHION_NAMES.get(r) : "class " + r) : "");
    }
    Plots.imageGrid(png, grid, rows * cols, side, side, channels, cols, labels);
  }

  private static final java.util.List<String> FASHION_NAMES = org.diffuse4j.runtime.data.FashionMnist.CLASS_NAMES;

  private static boolean isSquare(int v) {
    int r = (int) Math.round(Math.sqrt(v));
    return v > 3 && r * r == v;
  }
}
