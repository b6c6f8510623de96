package org.diffuse4j.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.diffuse4j.runtime.eval.FashionClassifier;
import org.diffuse4j.runtime.eval.FeatureMoments;
import org.diffuse4j.runtime.likelihood.LikelihoodMoments;
import org.diffuse4j.runtime.likelihood.RoundTrip;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.plugins.PluginDiscovery;
import org.diffuse4j.runtime.run.ScaleOut;
import org.diffuse4j.runtime.sample.Chunks;
import org.diffuse4j.runtime.train.Trainer;
import org.diffuse4j.runtime.train.TrainingDiverged;
import org.diffuse4j.api.plugin.OptionException;

/**
 * {@code --spark MASTER}: the rows of a command as a Spark job over the engine's index-aligned chunks
 * ({@link SampleShard}); each task writes its shard of {@code samples.parquet} (index, label,
 * values) or, for reflow, {@code pairs.parquet} (index, label, x0, noise) through Spark's output
 * committer, so a failed attempt leaves nothing and its retry writes the same rows.
 */
public final class SparkScaleOut implements ScaleOut {
  /** The most values (n × dim) brought back to the driver for samples.npy, the plot and the metrics: 2²⁶ doubles, 512 MiB. */
  static final long DRIVER_VALUES = 1L << 26;

  @Override
  public String name() {
    return "spark";
  }

  @Override
  public double[] sample(SampleJob job, Path folder, PrintStream out) throws IOException {
    double[][] rows = rows(job, folder, out, false);
    return rows == null ? null : rows[0];
  }

  @Override
  public Pairs reflow(SampleJob job, Path folder, PrintStream out) throws IOException {
    double[][] pairs = rows(job, folder, out, true);
    return pairs == null ? null : new Pairs(pairs[0], pairs[1]);
  }

  /**
   * The sampling job: {@code samples.parquet} (index, label, values), or with {@code pairs}
   * {@code pairs.parquet} (index, label, x0, noise); returns its value columns (n × dim each), or null
   * when they are too many for the driver.
   */
  private static double[][] rows(SampleJob job, Path folder, PrintStream out, boolean pairs) {
    Manifest m = ManifestLoader.resolve(job.manifest(), PluginDiscovery.discover(job.plugins()));
    int n = m.sampling().n();
    int dim = m.data().dim();
    long chunks = new Chunks(m.sampling().batch_size()).count(n);
    TaskRun run = TaskRun.of(job.manifest(), job.plugins(), job.runDir());
    String file = pairs ? "pairs.parquet" : "samples.parquet";
    String parquet = folder.resolve(file).toUri().toString();
    String[] columns = pairs ? new String[] {"x0", "noise"} : new String[] {"values"};
    return SparkJobs.withSession(job.master(), pairs ? "diffuse4j reflow" : "diffuse4j sample", spark -> {
      int partitions = SparkJobs.partitions(spark, job.partitions(), chunks);
      int threads = SparkJobs.threadsPerTask(spark, partitions);
      out.printf("spark: %d chunks of %d rows in %d tasks on %s, %s%n", chunks, m.sampling().batch_size(), partitions,
          spark.sparkContext().master(), SparkJobs.threadsNote(spark, threads));
      LongAccumulator build = spark.sparkContext().longAccumulator("graph build ns");
      LongAccumulator sampling = spark.sparkContext().longAccumulator("sampling ns");
      long t0 = System.nanoTime();
      Dataset<Row> rows = spark.createDataFrame(SparkJobs.partitionIds(spark, partitions)
          .flatMap(new SampleShard(run, partitions, threads, pairs, build, sampling)), pairs ? SampleShard.PAIRS : SampleShard.SCHEMA);
      rows.write().parquet(parquet);
      out.printf("spark: wrote %s in %.2f s; the tasks built their graphs in %.2f s and sampled in %.2f s "
          + "(sums over tasks)%n", file, (System.nanoTime() - t0) / 1e9, build.value() / 1e9, sampling.value() / 1e9);
      return (long) n * dim * columns.length <= DRIVER_VALUES ? collect(spark, parquet, n, dim, columns) : null;
    });
  }

  @Override
  public LikelihoodMoments likelihood(LikelihoodJob job, double[] x, int n) throws IOException {
    Chunks chunks = new Chunks(job.batch());
    long count = chunks.count(n);
    TaskRun run = TaskRun.of(job.manifest(), job.plugins(), job.runDir());
    LikelihoodShard shard = new LikelihoodShard(run, job.solver(), job.times(), job.options(), job.batch());
    return SparkJobs.withSession(job.master(), "diffuse4j likelihood", spark -> {
      int partitions = SparkJobs.partitions(spark, job.partitions(), count);
      List<LikelihoodMoments> parts = JavaSparkContext.fromSparkContext(spark.sparkContext())
          .parallelize(Slice.of(x, n, chunks, partitions), partitions).map(shard).collect();
      LikelihoodMoments all = parts.get(0);
      for (int p = 1; p < parts.size(); p++) { // in row order, whichever task finished first
        all = all.plus(parts.get(p));
      }
      return all;
    });
  }

  @Override
  public RoundTrip encode(EncodeJob job, double[] x, int n) throws IOException {
    Chunks chunks = new Chunks(job.batch());
    long count = chunks.count(n);
    EncodeShard shard = new EncodeShard(TaskRun.of(job.manifest(), job.plugins(), job.runDir()), job.solver(), job.times(),
        job.batch());
    return SparkJobs.withSession(job.master(), "diffuse4j encode", spark -> {
      int partitions = SparkJobs.partitions(spark, job.partitions(), count);
      List<RoundTripRows> parts = JavaSparkContext.fromSparkContext(spark.sparkContext())
          .parallelize(Slice.of(x, n, chunks, partitions), partitions).map(shard).collect();
      double[] latents = new double[x.length];
      double[] back = new double[x.length];
      int at = 0;
      int nfe = 0;
      for (RoundTripRows part : parts) { // in row order
        System.arraycopy(part.latents(), 0, latents, at, part.latents().length);
        System.arraycopy(part.reconstructed(), 0, back, at, part.reconstructed().length);
        at += part.latents().length;
        nfe = Math.max(nfe, part.nfe());
      }
      return RoundTrip.of(x.clone(), latents, back, nfe);
    });
  }

  @Override
  public FeatureMoments evaluate(EvaluateJob job, double[] x, int n, int[] labels) throws IOException {
    Chunks chunks = new Chunks(FashionClassifier.CHUNK);
    long count = chunks.count(n);
    EvaluateShard shard = new EvaluateShard(job.classifier(), labels);
    return SparkJobs.withSession(job.master(), "diffuse4j evaluate", spark -> {
      int partitions = SparkJobs.partitions(spark, job.partitions(), count);
      List<FeatureMoments> parts = JavaSparkContext.fromSparkContext(spark.sparkContext())
          .parallelize(Slice.of(x, n, chunks, partitions), partitions).map(shard).collect();
      FeatureMoments all = parts.get(0);
      for (int p = 1; p < parts.size(); p++) { // in row order
        all = all.plus(parts.get(p));
      }
      return all;
    });
  }

  @Override
  public Trainer.Outcome train(TrainJob job, boolean resume, PrintStream log) throws IOException {
    Manifest m = ManifestLoader.resolve(job.manifest(), PluginDiscovery.discover(job.plugins()));
    int batch = m.training().batch_size();
    TrainShard shard = new TrainShard(TaskRun.of(job.manifest(), job.plugins(), job.runDir()), resume);
    return SparkJobs.withSession(job.master(), "diffuse4j train", spark -> {
      int slots = spark.sparkContext().defaultParallelism();
      int partitions = job.partitions() > 0 ? job.partitions() : largestDivisor(batch, slots);
      if (batch % partitions != 0) {
        throw new OptionException("--partitions " + partitions + " does not divide training.batch_size " + batch
            + "; give a divisor of it, e.g. --partitions " + largestDivisor(batch, partitions));
      }
      if (partitions > slots) { // a barrier stage waits for all its tasks to run at once
        throw new OptionException("--partitions " + partitions + ": data-parallel training runs all its tasks at once, and "
            + spark.sparkContext().master() + " has " + slots + " task slots; give --partitions " + largestDivisor(batch, slots)
            + " or a master with more");
      }
      log.printf("spark: %d tasks of %d rows of each batch of %d on %s (barrier mode, gradients averaged every step)%n",
          partitions, batch / partitions, batch, spark.sparkContext().master());
      List<TrainedPart> parts;
      try {
        parts = SparkJobs.partitionIds(spark, partitions).rdd().barrier()
            .mapPartitions(shard, false, scala.reflect.ClassTag$.MODULE$.apply(TrainedPart.class)).toJavaRDD()
            .repartition(1).collect(); // a shuffle after it: Spark retries a failed barrier stage only when it is not the result stage
      } catch (Exception e) { // Spark's checked SparkException, which Scala does not declare
        throw failed(e);
      }
      TrainedPart first = parts.stream().filter(p -> p.index() == 0).findFirst().orElseThrow();
      for (TrainedPart p : parts) {
        if (!p.weights().equals(first.weights())) {
          throw new IllegalStateException("the weights of task " + p.index() + " differ from task 0's after training: "
              + "the tasks' updates went out of step");
        }
      }
      log.print(first.log());
      log.printf("spark: the tasks spent %s s of their %.2f s of training in the all-reduce%n",
          String.join(", ", parts.stream().map(p -> String.format("%.2f", p.syncSeconds())).toList()), first.seconds());
      return new Trainer.Outcome(first.steps(), first.ran(), java.util.Arrays.stream(first.losses()).boxed().toList(),
          first.seconds());
    });
  }

  /** The largest divisor of {@code batch} not above {@code most} (at least 1). */
  static int largestDivisor(int batch, int most) {
    for (int p = Math.max(1, Math.min(batch, most)); p > 1; p--) {
      if (batch % p == 0) {
        return p;
      }
    }
    return 1;
  }

  /** A task's {@link TrainingDiverged} (every task diverges at the same step) as itself; anything else as it came. */
  private static RuntimeException failed(Exception e) {
    String text = String.valueOf(e.getMessage());
    int at = text.indexOf("training diverged:");
    if (at < 0) {
      return e instanceof RuntimeException r ? r : new IllegalStateException("the Spark training job failed: " + text, e);
    }
    int end = text.indexOf('\n', at);
    return new TrainingDiverged(text.substring(at, end < 0 ? text.length() : end));
  }

  /** The n × dim values of each named array column of the written Parquet, row-major by global index. */
  static double[][] collect(SparkSession spark, String parquet, int n, int dim, String... columns) {
    double[][] all = new double[columns.length][n * dim];
    List<Row> rows = spark.read().parquet(parquet).select("index", columns).collectAsList();
    if (rows.size() != n) {
      throw new IllegalStateException("the job wrote " + rows.size() + " rows to " + parquet + ", expected " + n);
    }
    for (Row r : rows) {
      int i = (int) r.getLong(0);
      for (int c = 0; c < columns.length; c++) {
        List<Double> v = r.getList(c + 1);
        for (int j = 0; j < dim; j++) {
          all[c][i * dim + j] = v.get(j);
        }
      }
    }
    return all;
  }
}
