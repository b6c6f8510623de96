package org.diffuse4j.runtime.tensorboard;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.manifest.TrainingOptions;
import org.diffuse4j.runtime.sample.SamplingEngine;
import org.diffuse4j.runtime.train.Checkpoint;

/**
 * What training shows in TensorBoard, under {@code RUN/tensorboard/}: the manifest as text at the
 * start; at every log point the mean loss and mean gradient norm since the previous one, the
 * learning rate and the EMA decay; at every checkpoint of image data a grid of samples drawn from
 * the checkpoint's weights. The trainer calls {@link #step} after each step and {@link #checkpoint}
 * after each save.
 */
public final class TrainingLog implements AutoCloseable {
  /** The folder in a run that holds the event files. */
  public static final String FOLDER = "tensorboard";
  /** Samples in the checkpoint grid of data without classes. */
  static final int GRID_SAMPLES = 16;

  private final Manifest manifest;
  private final int dim;
  private final SummaryFile file;
  private double lossSum;
  private double gradSum;
  private int count;

  /** Opens a new event file in {@code runDir/tensorboard} and writes the manifest at {@code step}. */
  public TrainingLog(Manifest manifest, int dim, Path runDir, int step) {
    this.manifest = manifest;
    this.dim = dim;
    this.file = new SummaryFile(runDir.resolve(FOLDER));
    String yaml = ManifestLoader.toYaml(manifest.resolved());
    file.text("manifest", step, "    " + yaml.strip().replace("\n", "\n    ")); // a Markdown code block
    file.flush();
  }

  /**
   * Records step {@code done} (1-based) with its loss and gradient norm; at log points (every
   * {@code log_every} steps and the last) writes the scalars and flushes.
   */
  public void step(int done, double loss, double gradNorm) {
    TrainingOptions o = manifest.training();
    lossSum += loss;
    gradSum += gradNorm;
    count++;
    if (done % o.log_every() == 0 || done == o.steps()) {
      file.scalar("loss", done, lossSum / count);
      file.scalar("grad_norm", done, gradSum / count);
      file.scalar("learning_rate", done, o.learningRate(done - 1));
      if (o.ema() > 0) {
        file.scalar("ema_decay", done, o.emaDecay(done - 1));
      }
      file.flush();
      lossSum = 0;
      gradSum = 0;
      count = 0;
    }
  }

  /** After a checkpoint at {@code step} was saved: for image data, a grid of samples from it. */
  public void checkpoint(int step, Checkpoint checkpoint) {
    int channels = channels(dim);
    if (channels == 0) {
      return;
    }
    int classes = manifest.data().classes();
    int n = classes > 0 && manifest.sampling().label().equals("all") ? classes : GRID_SAMPLES;
    double[] samples;
    try (SamplingEngine engine = new SamplingEngine(manifest, dim, n, checkpoint);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
      samples = engine.sample(manifest.samplingSeed(), n, null, quiet);
    } catch (RuntimeException e) { // a picture is not worth stopping the training for: say why there is none
      file.text("samples_error", step, "no sample grid at step " + step + ": " + e.getMessage());
      file.flush();
      return;
    }
    int side = (int) Math.round(Math.sqrt(dim / (double) channels));
    int cols = Math.min(n, 8);
    int rows = (n + cols - 1) / cols;
    file.image("samples", step, grid(samples, n, side, channels, cols), rows * (side + 2) - 2, cols * (side + 2) - 2,
        channels);
    file.flush();
  }

  /** 1 for square grey images, 3 for square RGB, 0 for data that is not an image. */
  static int channels(int dim) {
    if (dim > 3 && isSquare(dim)) {
      return 1;
    }
    return dim % 3 == 0 && dim / 3 > 3 && isSquare(dim / 3) ? 3 : 0;
  }

  /** Images in [-1, 1] (row-major n × side × side × c) as bytes of one grid, 2 white pixels between. */
  static byte[] grid(double[] images, int n, int side, int c, int cols) {
    int rows = (n + cols - 1) / cols;
    int h = rows * (side + 2) - 2;
    int w = cols * (side + 2) - 2;
    byte[] out = new byte[h * w * c];
    java.util.Arrays.fill(out, (byte) 255);
    for (int k = 0; k < n; k++) {
      int y0 = (k / cols) * (side + 2);
      int x0 = (k % cols) * (side + 2);
      for (int i = 0; i < side; i++) {
        for (int j = 0; j < side; j++) {
          for (int ch = 0; ch < c; ch++) {
            double v = images[((k * side + i) * side + j) * c + ch];
            int b = Double.isNaN(v) ? 0 : (int) Math.round(Math.max(0, Math.min(255, (v + 1) / 2 * 255)));
            out[((y0 + i) * w + x0 + j) * c + ch] = (byte) b;
          }
        }
      }
    }
    return out;
  }

  private static boolean isSquare(int v) {
    int r = (int) Math.round(Math.sqrt(v));
    return r * r == v;
  }

  @Override
  public void close() {
    file.close();
  }
}
