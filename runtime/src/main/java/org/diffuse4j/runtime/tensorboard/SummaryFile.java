package org.diffuse4j.runtime.tensorboard;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.EagerSession;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.SummaryMetadata;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * A TensorBoard event file in a folder, written by TensorFlow's own summary ops
 * ({@code CreateSummaryFileWriter}, {@code WriteScalarSummary}, {@code WriteImageSummary},
 * {@code WriteSummary} with the text plugin's metadata) run eagerly. Not thread-safe.
 */
public final class SummaryFile implements AutoCloseable {
  private final EagerSession session;
  private final Ops tf;
  private final Operand<? extends TType> writer;
  private boolean closed;

  /** Creates {@code dir} if needed and opens a new event file in it (TensorFlow names it events.out.tfevents.*). */
  public SummaryFile(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create " + dir, e);
    }
    session = EagerSession.create();
    tf = Ops.create(session);
    writer = tf.summary.summaryWriter();
    tf.summary.createSummaryFileWriter(writer, tf.constant(dir.toAbsolutePath().toString()), tf.constant(100),
        tf.constant(5_000), tf.constant(".diffuse4j"));
  }

  /** A scalar (TensorBoard's Scalars tab). */
  public void scalar(String tag, long step, double value) {
    tf.summary.writeScalarSummary(writer, tf.constant(step), tf.constant(tag), tf.constant((float) value));
  }

  /**
   * One image of h × w pixels with c = 1, 3 or 4 channels, row-major bytes (0…255), for the Images
   * tab; TensorFlow encodes it as PNG.
   */
  public void image(String tag, long step, byte[] pixels, int h, int w, int c) {
    if (pixels.length != h * w * c || (c != 1 && c != 3 && c != 4)) {
      throw new IllegalArgumentException("image '" + tag + "': " + pixels.length + " bytes for " + h + "×" + w + "×" + c);
    }
    try (TUint8 t = TUint8.tensorOf(Shape.of(1, h, w, c), DataBuffers.of(pixels, true, false));
        TUint8 bad = TUint8.vectorOf((byte) 255, (byte) 0, (byte) 0, (byte) 255)) {
      tf.summary.writeImageSummary(writer, tf.constant(step), tf.constant(tag), tf.constantOf(t), tf.constantOf(bad));
    }
  }

  /** Markdown text for the Text tab (the text plugin's metadata on a string tensor). */
  public void text(String tag, long step, String markdown) {
    byte[] metadata = SummaryMetadata.newBuilder()
        .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("text"))
        .build().toByteArray();
    try (TString value = TString.tensorOf(StandardCharsets.UTF_8, NdArrays.scalarOfObject(markdown));
        TString meta = TString.tensorOfBytes(NdArrays.scalarOfObject(metadata))) {
      tf.summary.writeSummary(writer, tf.constant(step), tf.constantOf(value), tf.constant(tag), tf.constantOf(meta));
    }
  }

  /** Writes what is queued to disk, so a reader (TensorBoard, the viewer) sees it now. */
  public void flush() {
    tf.summary.flushSummaryWriter(writer);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      flush();
      tf.summary.closeSummaryWriter(writer);
    } finally {
      session.close();
    }
  }
}
