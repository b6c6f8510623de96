package org.diffuse4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.sample.Chunks;
import org.diffuse4j.runtime.sample.SamplingEngine;
import org.diffuse4j.runtime.train.Checkpoint;

/**
 * One task of a Spark {@code sample} or {@code reflow} job: partition p of P computes the whole chunks
 * [⌊pC/P⌋, ⌊(p+1)C/P⌋) of the C = ⌈n/B⌉ index-aligned chunks of B rows, through
 * {@link SamplingEngine#sampleRows}, so its rows are bitwise those of one process with the same B.
 * Each row is (global index, label, values), or for reflow pairs (global index, label, x0, noise):
 * the endpoint and its initial noise ε_i, {@link CounterNoise} stream 0 of (seed, i) as in the engine.
 */
final class SampleShard implements FlatMapFunction<Integer, Row> {
  private static final long serialVersionUID = 1L;
  /**
   * Test hook: a system property naming a partition whose first attempt fails half-way through its
   * rows (after some of its shard may be written), to check that Spark's retry gives the same output.
   */
  static final String FAIL_FIRST_ATTEMPT = "diffuse4j.spark.fail-first-attempt-of-partition";
  /** The rows' schema: global index, label (−1: unconditional) and values. */
  static final StructType SCHEMA = new StructType()
      .add("index", DataTypes.LongType, false)
      .add("label", DataTypes.IntegerType, false)
      .add("values", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
  /** Reflow pairs' schema: global index, label, the endpoint x0 and its noise ε. */
  static final StructType PAIRS = new StructType()
      .add("index", DataTypes.LongType, false)
      .add("label", DataTypes.IntegerType, false)
      .add("x0", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
      .add("noise", DataTypes.createArrayType(DataTypes.DoubleType, false), false);

  private final TaskRun run;
  private final int partitions;
  private final int threads;
  private final boolean pairs;
  private final LongAccumulator buildNanos;
  private final LongAccumulator sampleNanos;

  /**
   * {@code threads}: TensorFlow inter-op threads of each task's session (its intra-op pool: one thread per core); {@code pairs}: rows of
   * {@link #PAIRS} instead of {@link #SCHEMA}; {@code buildNanos} and {@code sampleNanos} sum the tasks'
   * graph-building and sampling times.
   */
  SampleShard(TaskRun run, int partitions, int threads, boolean pairs, LongAccumulator buildNanos, LongAccumulator sampleNanos) {
    this.run = run;
    this.partitions = partitions;
    this.threads = threads;
    this.pairs = pairs;
    this.buildNanos = buildNanos;
    this.sampleNanos = sampleNanos;
  }

  @Override
  public Iterator<Row> call(Integer p) throws Exception {
    Manifest m = run.manifest();
    int n = m.sampling().n();
    Chunks chunks = new Chunks(m.sampling().batch_size());
    long c = chunks.count(n);
    long first = chunks.first(Slice.firstChunk(p, partitions, c));
    long end = Math.min(n, chunks.first(Slice.firstChunk(p + 1, partitions, c)));
    if (first >= end) {
      return List.<Row>of().iterator();
    }
    int dim = m.data().dim();
    double[] rows;
    long t0 = System.nanoTime();
    try (TaskRun.OpenRun open = run.open();
        SamplingEngine engine = SamplingEngine.withThreads(m, dim, chunks.size(), new Checkpoint(open.dir()), 0, threads)) {
      long t1 = System.nanoTime();
      rows = engine.sampleRows(m.samplingSeed(), first, (int) (end - first), null, null);
      buildNanos.add(t1 - t0);
      sampleNanos.add(System.nanoTime() - t1);
    }
    int classes = m.data().classes();
    boolean unconditional = m.sampling().unconditional();
    double[] noise = pairs ? CounterNoise.gaussian(m.samplingSeed(), first, (int) (end - first), dim, 0) : null;
    List<Row> out = new ArrayList<>((int) (end - first));
    for (long i = first; i < end; i++) {
      int at = (int) (i - first) * dim;
      int label = unconditional ? -1 : m.sampling().labelOf(i, classes);
      double[] values = Arrays.copyOfRange(rows, at, at + dim);
      out.add(pairs ? RowFactory.create(i, label, values, Arrays.copyOfRange(noise, at, at + dim))
          : RowFactory.create(i, label, values));
    }
    return failingFirstAttempt(p, out.iterator(), out.size() / 2);
  }

  /** The rows, or, for the partition named by {@link #FAIL_FIRST_ATTEMPT} on its first attempt, a failure after {@code after} rows. */
  private static Iterator<Row> failingFirstAttempt(int p, Iterator<Row> rows, int after) {
    String fail = System.getProperty(FAIL_FIRST_ATTEMPT);
    TaskContext task = TaskContext.get();
    if (fail == null || Integer.parseInt(fail) != p || task == null || task.attemptNumber() != 0) {
      return rows;
    }
    return new Iterator<>() {
      private int given;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Row next() {
        if (given++ == after || !rows.hasNext()) {
          throw new IllegalStateException("injected failure of partition " + p + ", attempt 0, after " + after + " rows ("
              + FAIL_FIRST_ATTEMPT + ")");
        }
        return rows.next();
      }
    };
  }
}
