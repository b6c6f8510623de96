package org.diffuse4j.spark;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  /** TensorFlow's switch from one process-wide intra-op pool to one per session (read once, at start-up). */
  static final String OWN_POOLS = "TF_OVERRIDE_GLOBAL_THREADPOOL";
  /** local, local[N], local[*], local[N,F], local[*,F]. */
  private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\d+)?\\])?");

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
    SparkSession.Builder builder = SparkSession.builder().master(master).appName(app)
        .config("spark.ui.showConsoleProgress", "false")
        // executors started by a cluster honour each task's own TensorFlow thread count (threadsPerTask)
        .config("spark.executorEnv." + OWN_POOLS, "1");
    // and run the driver's TensorFlow kernels (oneDNN or Eigen: they round differently; the launcher sets it)
    String kernels = System.getenv("TF_ENABLE_ONEDNN_OPTS");
    if (kernels != null) {
      builder.config("spark.executorEnv.TF_ENABLE_ONEDNN_OPTS", kernels);
    }
    SparkSession spark = builder.getOrCreate();
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
   * The TensorFlow inter-op threads of each task's session: an executor's cores ÷ the tasks it runs at
   * once, at least 1 (its intra-op pool keeps one thread per core, as one process: the intra-op count
   * changes how a matrix product is split, and so the bits; docs/scale-out.md). On a local master, local[N] runs min(N, partitions) tasks at once on this machine's cores
   * (e.g. 1 thread at local[2] on 2 cores, 2 at local[1]); on a cluster, an executor runs
   * spark.executor.cores ÷ spark.task.cpus tasks, so each gets spark.task.cpus threads.
   */
  static int threadsPerTask(SparkSession spark, int partitions) {
    int taskCpus = spark.sparkContext().getConf().getInt("spark.task.cpus", 1);
    Matcher local = LOCAL.matcher(spark.sparkContext().master());
    if (!local.matches()) {
      return taskCpus;
    }
    int cores = Runtime.getRuntime().availableProcessors();
    int slots = local.group(1) == null ? 1 : local.group(1).equals("*") ? cores : Integer.parseInt(local.group(1));
    int atOnce = Math.max(1, Math.min(slots / taskCpus, partitions));
    return Math.max(1, cores / atOnce);
  }

  /**
   * Whether TensorFlow in this JVM gives each session its own intra-op pool (the environment variable
   * {@value #OWN_POOLS}; else the first session's pool, one thread per core, is shared by all).
   */
  static boolean ownPools() {
    String v = System.getenv(OWN_POOLS);
    return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
  }

  /** How many TensorFlow threads each task has, as the job's first line says it. */
  static String threadsNote(SparkSession spark, int threads) {
    if (LOCAL.matcher(spark.sparkContext().master()).matches() && !ownPools()) {
      return "TensorFlow: one intra-op pool shared by the tasks (" + OWN_POOLS + " is not set in this JVM's "
          + "environment; set it to 1 for a pool per task), inter-op threads per task: " + threads;
    }
    return "TensorFlow: an intra-op pool per task (one thread per core, as in one process), inter-op threads per task: " + threads;
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
