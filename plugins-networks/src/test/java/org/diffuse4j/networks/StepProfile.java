package org.diffuse4j.networks;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.Graph;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;

/**
 * Kernel time of traced {@code Session.run} calls summed by op type (TensorFlow's step stats,
 * {@code all_end_rel_micros}) and by phase (backward = the gradient ops); not a test (issue 17,
 * docs/benchmarks.md). Threads overlap, so the sum can exceed the wall time.
 */
public final class StepProfile {
  /** The run options that make a {@code Session.run} return step stats. */
  public static final RunOptions FULL_TRACE = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();

  private final Map<String, String> types = new HashMap<>();
  private final Map<String, long[]> byType = new HashMap<>(); // type -> {micros, count}
  private final Map<String, long[]> byPhase = new TreeMap<>();
  private long wallNanos;
  private int steps;

  public StepProfile(Graph graph) {
    graph.operations().forEachRemaining(op -> types.put(op.name(), op.type()));
  }

  /** Adds one traced step's kernels and its wall time. */
  public void add(RunMetadata md, long wallNanos) {
    this.wallNanos += wallNanos;
    steps++;
    for (var dev : md.getStepStats().getDevStatsList()) {
      for (NodeExecStats n : dev.getNodeStatsList()) {
        String name = n.getNodeName();
        String label = n.getTimelineLabel();
        String type = label.matches(".*= [A-Za-z0-9_]+\\(.*") ? label.replaceAll(".*= ([A-Za-z0-9_]+)\\(.*", "$1")
            : types.getOrDefault(name, "");
        if (type.isEmpty() || type.equals(name)) {
          type = "?" + name.replaceAll("[_0-9/].*", "");
        }
        long us = n.getAllEndRelMicros();
        byType.computeIfAbsent(type, t -> new long[2])[0] += us;
        byType.get(type)[1]++;
        String phase = name.startsWith("gradients") || name.contains("Gradients") ? "backward" : "forward/update";
        byPhase.computeIfAbsent(phase, t -> new long[2])[0] += us;
        byPhase.get(phase)[1]++;
      }
    }
  }

  /** Prints the table: per op type ms per step, share and node count, then the phases. */
  public void print(String title, int rows) {
    long total = byType.values().stream().mapToLong(v -> v[0]).sum();
    System.out.printf("%s: %d traced steps, wall %.2f ms/step (traced), op time summed %.2f ms/step%n", title, steps,
        wallNanos / 1e6 / steps, total / 1e3 / steps);
    byType.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(rows)
        .forEach(e -> System.out.printf("  %-32s %8.2f ms/step %5.1f%%  %5d nodes%n", e.getKey(), e.getValue()[0] / 1e3 / steps,
            100.0 * e.getValue()[0] / total, e.getValue()[1] / steps));
    byPhase.forEach((k, v) -> System.out.printf("  phase %-20s %8.2f ms/step %5d nodes%n", k, v[0] / 1e3 / steps, v[1] / steps));
  }
}
