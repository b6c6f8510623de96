package org.diffuse4j.spark;

import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.diffuse4j.api.plugin.OptionException;
import scala.Option;

/**
 * The Spark session a command runs its job in: the one already running in this JVM (a test's, or a
 * notebook's) when its master is the one asked for, else a new one that the command stops when done.
 */
final class SparkJobs {
  private SparkJobs() {}

  /** Runs {@code job} in a session on {@code master}. */
  static <T> T withSession(String master, String app, Function<SparkSession, T> job) {
    Option<SparkSession> running = SparkSession.getDefaultSession();
    if (running.isDefined()) {
      String has = running.get().sparkContext().master();
      if (!has.equals(master)) {
        throw new OptionException("--spark " + master + ": this JVM already runs a Spark session on " + has
            + "; give --spark " + has + " (one JVM holds one Spark context)");
      }
      return job.apply(running.get());
    }
    quietLogs();
    SparkSession spark = SparkSession.builder().master(master).appName(app)
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate();
    try {
      return job.apply(spark);
    } finally {
      spark.stop();
    }
  }

  /** One element per partition: element p lands in partition p. */
  static JavaRDD<Integer> partitionIds(SparkSession spark, int partitions) {
    List<Integer> ids = IntStream.range(0, partitions).boxed().toList();
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(ids, partitions);
  }

  /** The number of tasks: the one asked for, else Spark's default parallelism; never more than the chunks. */
  static int partitions(SparkSession spark, int asked, long chunks) {
    int p = asked > 0 ? asked : spark.sparkContext().defaultParallelism();
    return (int) Math.max(1, Math.min(p, chunks));
  }

  /**
   * Spark logs every stage at INFO on stderr; a command's own output is what matters, so its Spark
   * logs start at WARN unless the user gave a log4j2 configuration.
   */
  private static void quietLogs() {
    if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("log4j.configurationFile") == null) {
      org.apache.logging.log4j.core.config.Configurator.setRootLevel(org.apache.logging.log4j.Level.WARN);
    }
  }
}
