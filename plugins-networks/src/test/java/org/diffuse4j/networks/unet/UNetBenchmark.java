package org.diffuse4j.networks.unet;

import org.diffuse4j.api.CounterNoise;

/**
 * Prints U-Net training-step times (forward + backward + Adam) on 28×28×1 images; not a test, no
 * asserts. Usage: {@code UNetBenchmark [batch] [steps] [base,mult1-mult2-..,blocks,attnSide ...]},
 * e.g. {@code 128 5 32,1-2-2,2,7 16,1-2-2,1,7}.
 */
public final class UNetBenchmark {
  private UNetBenchmark() {}

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s[s.length / 2];
  }

  public static void main(String[] args) {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 128;
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    String[] configs = args.length > 2 ? java.util.Arrays.copyOfRange(args, 2, args.length)
        : new String[] {"32,1-2-2,2,7", "16,1-2-2,1,7"};
    double[] x = TrainingGraph.images(batch);
    double[] noise = CounterNoise.gaussian(1, 0, batch, 784, 0);
    double[] labels = new double[batch];
    for (int i = 0; i < batch; i++) {
      labels[i] = i % 10;
    }
    for (String c : configs) {
      String[] f = c.split(",");
      int[] mult = java.util.Arrays.stream(f[1].split("-")).mapToInt(Integer::parseInt).toArray();
      int[] attn = f[3].equals("0") ? new int[0] : new int[] {Integer.parseInt(f[3])};
      UNetOptions o = new UNetOptions(Integer.parseInt(f[0]), mult, Integer.parseInt(f[2]), attn, 8, 10, 1, 1000);
      long t0 = System.nanoTime();
      try (TrainingGraph tg = new TrainingGraph(o, batch, 1e-3, 1)) {
        double buildMs = (System.nanoTime() - t0) / 1e6;
        for (int k = 0; k < 3; k++) {
          tg.step(x, noise, labels); // warm-up: the first runs of a graph are slower
        }
        double[] train = new double[steps];
        double[] forward = new double[steps];
        for (int k = 0; k < steps; k++) {
          long t1 = System.nanoTime();
          tg.step(x, noise, labels);
          long t2 = System.nanoTime();
          tg.loss(x, noise, labels);
          train[k] = (t2 - t1) / 1e6;
          forward[k] = (System.nanoTime() - t2) / 1e6;
        }
        double ms = median(train);
        double forwardMs = median(forward);
        System.out.printf("unet %-16s batch %d: %,d params, build %.0f ms, median %.0f ms per training step, %.0f ms forward only (%d steps)%n",
            c, batch, tg.net.parameterCount(), buildMs, ms, forwardMs, steps);
      }
    }
  }
}
