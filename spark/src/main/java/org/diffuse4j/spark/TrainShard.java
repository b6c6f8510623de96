package org.diffuse4j.spark;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.train.Checkpoint;
import org.diffuse4j.runtime.train.Trainer;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One task of a data-parallel training job in Spark's barrier mode: task p of P trains on rows
 * p·B/P … (p+1)·B/P−1 of every global batch of B ({@link Trainer.Shard}); every step the tasks' losses
 * and gradients go through {@link BarrierTaskContext#allGather} and every task takes their mean in
 * task order, so all apply the same update. Task 0 alone saves checkpoints, into the shared run folder;
 * when Spark restarts the stage after a failed task, every task resumes from the last checkpoint.
 */
final class TrainShard implements scala.Function1<Iterator<Integer>, Iterator<TrainedPart>>, java.io.Serializable {
  private static final long serialVersionUID = 1L;
  /**
   * Test hook: a system property "P:N" that makes task P fail at its N-th all-reduce on the stage's
   * first attempt, to check that Spark's retry of the whole barrier stage resumes from the checkpoint.
   */
  static final String FAIL_FIRST_ATTEMPT = "diffuse4j.spark.fail-first-attempt-of-training-task";
  private final TaskRun run;
  private final boolean resume;

  TrainShard(TaskRun run, boolean resume) {
    this.run = run;
    this.resume = resume;
  }

  @Override
  public Iterator<TrainedPart> apply(Iterator<Integer> ignored) {
    BarrierTaskContext task = BarrierTaskContext.get();
    int p = task.partitionId();
    int count = task.getTaskInfos().length;
    Manifest m = run.manifest();
    URI uri = URI.create(run.runUri());
    if (!"file".equals(uri.getScheme())) {
      throw new OptionException("data-parallel training writes its checkpoint into the run folder, which must be a path "
          + "every task reaches (a shared file system), not " + uri);
    }
    Checkpoint checkpoint = new Checkpoint(Path.of(uri));
    boolean retried = task.stageAttemptNumber() > 0; // Spark restarts every task of a failed barrier stage
    if (retried) {
      try {
        org.diffuse4j.api.io.AtomicFiles.recoverDirectory(checkpoint.dir()); // a swap the failure interrupted
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    boolean fromCheckpoint = resume || (retried && checkpoint.exists());
    int[] reduced = {0};
    String fail = System.getProperty(FAIL_FIRST_ATTEMPT);
    boolean single = m.precision() == Precision.FLOAT32;
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    long[] syncNanos = {0};
    try (BarrierWaker waker = new BarrierWaker();
        PrintStream log = p == 0 ? new PrintStream(lines, true, StandardCharsets.UTF_8) : quiet();
        PrintStream console = quiet();
        Trainer trainer = new Trainer(m, m.data().dim(), new Trainer.Shard(p, count, parts -> {
          if (fail != null && !retried && fail.equals(p + ":" + ++reduced[0])) {
            throw new IllegalStateException("injected failure of task " + p + " at all-reduce " + reduced[0] + " ("
                + FAIL_FIRST_ATTEMPT + ")");
          }
          long t0 = System.nanoTime();
          double[][] mean = mean(message -> waker.allGather(task, message), task.partitionId(), parts, single);
          syncNanos[0] += System.nanoTime() - t0;
          return mean;
        }))) {
      Trainer.Outcome o = trainer.train(checkpoint, fromCheckpoint, log, console);
      double[] losses = p == 0 ? o.losses().stream().mapToDouble(Double::doubleValue).toArray() : new double[0];
      TrainedPart part = new TrainedPart(p, digest(trainer), o.steps(), o.ran(), losses, o.seconds(), syncNanos[0] / 1e9,
          p == 0 ? lines.toString(StandardCharsets.UTF_8) : "");
      return CollectionConverters.asScala(List.of(part).iterator());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The element-wise mean over the tasks of every task's {@code parts}: each task's arrays go to all
   * through {@code allGather} (as float32 when the graph is, which loses nothing), and every task sums
   * them in task order in double and divides by P, so all get the same bits.
   */
  static double[][] mean(java.util.function.Function<String, String[]> allGather, int index, double[][] parts,
      boolean single) {
    String[] all = allGather.apply(encode(index, parts, single));
    double[][] sum = new double[parts.length][];
    for (int i = 0; i < parts.length; i++) {
      sum[i] = new double[parts[i].length];
    }
    double[][] got = new double[all.length][];
    for (String message : all) {
      int colon = message.indexOf(':');
      got[Integer.parseInt(message.substring(0, colon))] = decode(message.substring(colon + 1), single);
    }
    for (double[] values : got) { // in task order, whatever order the messages came in
      int at = 0;
      for (double[] s : sum) {
        for (int j = 0; j < s.length; j++) {
          s[j] += values[at++];
        }
      }
    }
    for (double[] s : sum) {
      for (int j = 0; j < s.length; j++) {
        s[j] /= all.length;
      }
    }
    return sum;
  }

  /** "INDEX:BASE64" of the arrays one after the other, 4 or 8 bytes per value. */
  static String encode(int index, double[][] parts, boolean single) {
    int n = 0;
    for (double[] a : parts) {
      n += a.length;
    }
    ByteBuffer b = ByteBuffer.allocate(n * (single ? 4 : 8));
    for (double[] a : parts) {
      for (double v : a) {
        if (single) {
          b.putFloat((float) v);
        } else {
          b.putDouble(v);
        }
      }
    }
    return index + ":" + Base64.getEncoder().encodeToString(b.array());
  }

  static double[] decode(String base64, boolean single) {
    ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(base64));
    double[] out = new double[b.capacity() / (single ? 4 : 8)];
    for (int i = 0; i < out.length; i++) {
      out[i] = single ? b.getFloat() : b.getDouble();
    }
    return out;
  }

  /** SHA-256 of every trainable variable's values, in graph order. */
  private static String digest(Trainer trainer) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String name : trainer.variableNames()) {
        for (double v : trainer.read(name)) {
          sha.update(ByteBuffer.allocate(8).putDouble(v).array());
        }
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static PrintStream quiet() {
    return new PrintStream(OutputStream.nullOutputStream());
  }
}
