package org.diffuse4j.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.diffuse4j.runtime.likelihood.LikelihoodMoments;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.plugins.PluginDiscovery;
import org.diffuse4j.runtime.run.ScaleOut;
import org.diffuse4j.runtime.sample.Chunks;

/**
 * {@code --spark MASTER}: the rows of a command as a Spark job over the engine's index-aligned chunks
 * ({@link SampleShard}); each task writes its shard of {@code samples.parquet} (index, label,
 * values) through Spark's output committer, so a failed attempt leaves nothing and its retry writes
 * the same rows.
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
    Manifest m = ManifestLoader.resolve(job.manifest(), PluginDiscovery.discover(job.plugins()));
    int n = m.sampling().n();
    int dim = m.data().dim();
    long chunks = new Chunks(m.sampling().batch_size()).count(n);
    TaskRun run = TaskRun.of(job.manifest(), job.plugins(), job.runDir());
    String parquet = folder.resolve("samples.parquet").toUri().toString();
    return SparkJobs.withSession(job.master(), "diffuse4j sample", spark -> {
      int partitions = SparkJobs.partitions(spark, job.partitions(), chunks);
      out.printf("spark: %d chunks of %d rows in %d tasks on %s%n", chunks, m.sampling().batch_size(), partitions,
          spark.sparkContext().master());
      Dataset<Row> rows = spark.createDataFrame(
          SparkJobs.partitionIds(spark, partitions).flatMap(new SampleShard(run, partitions)), SampleShard.SCHEMA);
      rows.write().parquet(parquet);
      return (long) n * dim <= DRIVER_VALUES ? collect(spark, parquet, n, dim) : null;
    });
  }

  @Override
  public LikelihoodMoments likelihood(LikelihoodJob job, double[] x, int n) throws IOException {
    int dim = x.length / n;
    Chunks chunks = new Chunks(job.batch());
    long count = chunks.count(n);
    TaskRun run = TaskRun.of(job.manifest(), job.plugins(), job.runDir());
    LikelihoodShard shard = new LikelihoodShard(run, job.solver(), job.times(), job.options(), job.batch());
    return SparkJobs.withSession(job.master(), "diffuse4j likelihood", spark -> {
      int partitions = SparkJobs.partitions(spark, job.partitions(), count);
      List<LikelihoodShard.Slice> slices = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        int first = (int) chunks.first(SampleShard.firstChunk(p, partitions, count));
        int end = (int) Math.min(n, chunks.first(SampleShard.firstChunk(p + 1, partitions, count)));
        slices.add(new LikelihoodShard.Slice(first, end - first, Arrays.copyOfRange(x, first * dim, end * dim)));
      }
      List<LikelihoodMoments> parts = JavaSparkContext.fromSparkContext(spark.sparkContext())
          .parallelize(slices, partitions).map(shard).collect();
      LikelihoodMoments all = parts.get(0);
      for (int p = 1; p < parts.size(); p++) { // in row order, whichever task finished first
        all = all.plus(parts.get(p));
      }
      return all;
    });
  }

  /** The n × dim values of the written Parquet, row-major by global index. */
  static double[] collect(SparkSession spark, String parquet, int n, int dim) {
    double[] all = new double[n * dim];
    List<Row> rows = spark.read().parquet(parquet).select("index", "values").collectAsList();
    if (rows.size() != n) {
      throw new IllegalStateException("the job wrote " + rows.size() + " rows to " + parquet + ", expected " + n);
    }
    for (Row r : rows) {
      int i = (int) r.getLong(0);
      List<Double> v = r.getList(1);
      for (int j = 0; j < dim; j++) {
        all[i * dim + j] = v.get(j);
      }
    }
    return all;
  }
}
