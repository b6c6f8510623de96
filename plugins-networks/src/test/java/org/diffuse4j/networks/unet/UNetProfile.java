package org.diffuse4j.networks.unet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.networks.StepProfile;
import org.tensorflow.Result;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;

/**
 * Profiles the example U-Net's training step (fashion-mnist-cfg.yaml: base 16, batch 128, ε loss, Adam;
 * {@link TrainingGraph}, no EMA) on TensorFlow's step stats; not a test, no asserts (issue 17,
 * docs/benchmarks.md "U-Net step: profile and what was tried").
 * {@code UNetProfile trace [STEPS [VARIANT]]}: FULL_TRACE step stats summed by kernel (op type).
 * {@code UNetProfile ab ROUNDS STEPS VARIANT...}: the variants' step times alternated in one process,
 * wall and process CPU time (median per round, then the median over rounds and of the ratios to the
 * first variant). Variants, joined by '+': default, xla (global JIT; needs
 * TF_XLA_FLAGS=--tf_xla_cpu_global_jit), intraN-interM (per-session thread pools). Set
 * TF_ENABLE_ONEDNN_OPTS in the environment to compare TensorFlow's oneDNN and Eigen kernels.
 */
public final class UNetProfile {
  private UNetProfile() {}

  static final UNetOptions EXAMPLE = new UNetOptions(16, new int[] {1, 2, 2}, 1, new int[] {7}, 8, 10, 1, 1000);

  public static void main(String[] args) {
    int batch = 128;
    double[] x = TrainingGraph.images(batch);
    double[] noise = CounterNoise.gaussian(1, 0, batch, 784, 0);
    double[] labels = new double[batch];
    for (int i = 0; i < batch; i++) {
      labels[i] = i % 10;
    }
    if (args[0].equals("trace")) {
      trace(args.length > 1 ? Integer.parseInt(args[1]) : 5, args.length > 2 ? args[2] : "default", x, noise, labels);
    } else {
      int rounds = Integer.parseInt(args[1]);
      int steps = Integer.parseInt(args[2]);
      String[] variants = Arrays.copyOfRange(args, 3, args.length);
      List<TrainingGraph> graphs = new ArrayList<>();
      for (String v : variants) {
        graphs.add(build(v));
      }
      double[][] med = new double[variants.length][rounds];
      double[][] cpu = new double[variants.length][rounds];
      var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      for (int i = 0; i < variants.length; i++) {
        for (int k = 0; k < 3; k++) {
          graphs.get(i).step(x, noise, labels);
        }
      }
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < variants.length; i++) {
          double[] t = new double[steps];
          long c0 = os.getProcessCpuTime();
          for (int k = 0; k < steps; k++) {
            long t0 = System.nanoTime();
            graphs.get(i).step(x, noise, labels);
            t[k] = (System.nanoTime() - t0) / 1e6;
          }
          med[i][r] = median(t);
          cpu[i][r] = (os.getProcessCpuTime() - c0) / 1e6 / steps;
        }
        System.out.printf("round %d: wall %s cpu %s load %s%n", r, row(med, r), row(cpu, r), load());
      }
      for (int i = 0; i < variants.length; i++) {
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          ratio[r] = med[i][r] / med[0][r];
        }
        double[] cratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          cratio[r] = cpu[i][r] / cpu[0][r];
        }
        System.out.printf("%-24s median %.1f ms/step (rounds %s); ratio to %s: median %.3f (%s); cpu ms/step %.1f, ratio %.3f (%s)%n",
            variants[i], median(med[i]), fmt(med[i]), variants[0], median(ratio), fmt(ratio), median(cpu[i]), median(cratio), fmt(cratio));
      }
      graphs.forEach(TrainingGraph::close);
    }
  }

  private static String row(double[][] med, int r) {
    StringBuilder b = new StringBuilder();
    for (double[] m : med) {
      b.append(String.format("%.1f ", m[r]));
    }
    return b.toString();
  }

  private static String fmt(double[] v) {
    StringBuilder b = new StringBuilder();
    for (double d : v) {
      b.append(String.format(d < 10 ? "%.3f " : "%.1f ", d));
    }
    return b.toString().trim();
  }

  private static String load() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).substring(0, 14);
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  /** A training graph of the example U-Net with the variant's session config (and GroupNorm). */
  static TrainingGraph build(String variant) {
    ConfigProto.Builder c = ConfigProto.newBuilder();
    for (String part : variant.split("\\+")) {
      if (part.equals("xla")) {
        c.setGraphOptions(GraphOptions.newBuilder().setOptimizerOptions(
            OptimizerOptions.newBuilder().setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1)));
      } else if (part.startsWith("intra")) {
        String[] f = part.substring(5).split("-inter");
        c.setIntraOpParallelismThreads(Integer.parseInt(f[0])).setInterOpParallelismThreads(Integer.parseInt(f[1]))
            .setUsePerSessionThreads(true);
      } else if (!part.equals("default")) {
        throw new IllegalArgumentException(part);
      }
    }
    return new TrainingGraph(EXAMPLE, 128, 1e-3, 1, c.build());
  }

  static void trace(int steps, String variant, double[] x, double[] noise, double[] labels) {
    try (TrainingGraph tg = build(variant)) {
      for (int k = 0; k < 3; k++) {
        tg.step(x, noise, labels);
      }
      StepProfile profile = new StepProfile(tg.graph);
      for (int s = 0; s < steps; s++) {
        long t0 = System.nanoTime();
        try (var xt = Feeds.tensor(Precision.FLOAT32, x, 128, 28, 28, 1);
            var et = Feeds.tensor(Precision.FLOAT32, noise, 128, 28, 28, 1);
            var lt = Feeds.tensor(Precision.FLOAT32, labels, 128);
            var b1 = Feeds.scalar(Precision.FLOAT32, 0.5);
            var b2 = Feeds.scalar(Precision.FLOAT32, 0.5);
            Result r = tg.session.runner().feed(tg.x0.op(), xt).feed(tg.eps.op(), et).feed(tg.labels.op(), lt)
                .feed("b1p", b1).feed("b2p", b2).addTarget(tg.train).fetch(tg.loss.op())
                .setOptions(StepProfile.FULL_TRACE).runAndFetchMetadata()) {
          profile.add(r.getMetadata().orElseThrow(), System.nanoTime() - t0);
        }
      }
      profile.print("variant " + variant, 40);
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
