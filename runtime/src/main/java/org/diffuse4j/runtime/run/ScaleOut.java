package org.diffuse4j.runtime.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.runtime.eval.FeatureMoments;
import org.diffuse4j.runtime.likelihood.LikelihoodMoments;
import org.diffuse4j.runtime.likelihood.LikelihoodOptions;
import org.diffuse4j.runtime.likelihood.RoundTrip;
import org.diffuse4j.runtime.train.Trainer;

/**
 * A cluster engine that computes a command's rows in index-aligned chunks across tasks instead of in
 * this process ({@code sample --spark MASTER}; docs/scale-out.md). Found through {@link ServiceLoader},
 * so the runtime never depends on the engine: the {@code diffuse4j-spark} module provides one.
 */
public interface ScaleOut {
  /** The engine's name, as in its flag: {@code spark} for {@code --spark}. */
  String name();

  /**
   * What a task needs to compute global rows of a {@code sample} job on its own.
   *
   * @param master where the job runs, e.g. {@code local[2]}
   * @param partitions the number of tasks (0: the engine's default parallelism)
   * @param manifest the resolved manifest tree (as written to {@code manifest.yaml})
   * @param plugins the extra plugins folder, or null
   * @param runDir the run folder holding {@code checkpoint/}
   */
  record SampleJob(String master, int partitions, Map<String, Object> manifest, Path plugins, Path runDir) {}

  /**
   * Samples global rows 0 … n−1 of the job's manifest ({@code sampling.n}, chunk size
   * {@code sampling.batch_size}), bitwise those of a single-process {@code sample}; writes its own
   * files (e.g. {@code samples.parquet}) into {@code folder}. Returns the rows row-major (n × dim),
   * or null when they are too many to hold in one process (then only the engine's files hold them).
   */
  double[] sample(SampleJob job, Path folder, PrintStream out) throws IOException;

  /** Reflow pairs brought back to the driver: endpoints x0 and their initial noise ε, row-major n × dim each. */
  record Pairs(double[] x0, double[] noise) {}

  /**
   * Reflow pairs of global rows 0 … n−1 of the job's manifest: x0 bitwise the rows of
   * {@link #sample} (the same chunks), and ε_i the counter-based initial noise of row i; writes its
   * own files (e.g. {@code pairs.parquet}) into {@code folder}. Returns the pairs, or null when they
   * are too many to hold in one process (then only the engine's files hold them).
   */
  Pairs reflow(SampleJob job, Path folder, PrintStream out) throws IOException;

  /**
   * What a task needs to compute log-likelihoods of global rows on its own.
   *
   * @param master where the job runs
   * @param partitions the number of tasks (0: the engine's default parallelism)
   * @param manifest the resolved manifest tree
   * @param plugins the extra plugins folder, or null
   * @param runDir the run folder holding {@code checkpoint/}, or null for an analytic manifest
   * @param solver the deterministic solver plugin's name
   * @param times the increasing integration grid t_min … t_max
   * @param options divergence, probes, prior and seed
   * @param batch the chunk size B
   */
  record LikelihoodJob(String master, int partitions, Map<String, Object> manifest, Path plugins, Path runDir,
      String solver, double[] times, LikelihoodOptions options, int batch) {}

  /**
   * The moments of the log-likelihoods of the n rows of {@code x} (row-major n × dim), each row
   * computed bitwise as {@code LikelihoodEngine.evaluateRows} computes it in one process with the same
   * chunk size; the parts' moments combined in row order.
   */
  LikelihoodMoments likelihood(LikelihoodJob job, double[] x, int n) throws IOException;

  /**
   * What a task needs to encode global rows on its own.
   *
   * @param solver the deterministic solver plugin's name, or null for the manifest's {@code sampling.solver}
   * @param times the increasing grid t_min … t_max
   * @param batch the chunk size B
   */
  record EncodeJob(String master, int partitions, Map<String, Object> manifest, Path plugins, Path runDir, String solver,
      double[] times, int batch) {}

  /**
   * Encodes and decodes the n rows of {@code x} (row-major n × dim), each chunk bitwise as
   * {@code Encoder.roundTripRows} computes it in one process with the same chunk size; the error
   * figures are computed from all rows, as in one process.
   */
  RoundTrip encode(EncodeJob job, double[] x, int n) throws IOException;

  /**
   * What a task needs to run the evaluation classifier on its own.
   *
   * @param classifier the cached classifier's folder (shared by driver and executors)
   */
  record EvaluateJob(String master, int partitions, Path classifier) {}

  /**
   * The {@link FeatureMoments} of the classifier's outputs on the n images of {@code x} (row-major,
   * 784 wide; {@code labels} the requested classes or null), each image computed bitwise as in one
   * process (the classifier's fixed chunks); the parts joined in row order.
   */
  FeatureMoments evaluate(EvaluateJob job, double[] x, int n, int[] labels) throws IOException;

  /**
   * What the tasks of a data-parallel training job need.
   *
   * @param master where the job runs
   * @param partitions the number of tasks (0: the engine's default parallelism); it must divide {@code training.batch_size}
   * @param manifest the resolved manifest tree
   * @param plugins the extra plugins folder, or null
   * @param runDir the run folder, whose {@code checkpoint/} one task writes (a path every task can reach)
   */
  record TrainJob(String master, int partitions, Map<String, Object> manifest, Path plugins, Path runDir) {}

  /**
   * Trains data-parallel to {@code training.steps} (from the run's checkpoint when {@code resume}): every
   * task computes the gradients of its rows of each global batch, the tasks' gradients are averaged every
   * step and every task applies the same update; one task saves the checkpoints. Writes the log lines of
   * a plain training to {@code log}; the losses are the global batch's (the tasks' mean).
   */
  Trainer.Outcome train(TrainJob job, boolean resume, PrintStream log) throws IOException;

  /**
   * The engine named {@code name}; fails naming the fix when no jar on the class path provides it.
   */
  static ScaleOut find(String name) {
    for (ScaleOut s : ServiceLoader.load(ScaleOut.class)) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    throw new OptionException("--" + name + " needs the diffuse4j-" + name + " module on the class path, and it is not: "
        + "start the command with the ./diffuse4j launcher (it adds the module when --" + name + " is given), or build it "
        + "with 'mvn -B -q -pl " + name + " -am -DskipTests package' and add " + name + "/target/classes and its "
        + "dependencies to -cp (docs/scale-out.md)");
  }
}
