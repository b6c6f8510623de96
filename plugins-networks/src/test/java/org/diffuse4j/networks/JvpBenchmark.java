package org.diffuse4j.networks;

import java.util.List;
import java.util.function.BiFunction;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.networks.unet.UNet;
import org.diffuse4j.networks.unet.UNetOptions;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * Prints the cost of {@link Tensor#jvp} against a forward pass and a forward + reverse pass (a
 * VJP, as one training step's gradient) in float32: graph build time, first run and median run time, for the default U-Net on 28×28 images and the default MLP; not a test,
 * no asserts. Usage: {@code JvpBenchmark [unetBatch] [mlpBatch] [runs]}.
 */
public final class JvpBenchmark {
  private JvpBenchmark() {}

  public static void main(String[] args) {
    int unetBatch = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int mlpBatch = args.length > 1 ? Integer.parseInt(args[1]) : 512;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    UNetOptions unet = new UNetOptions(32, new int[] {1, 2, 2}, 2, new int[] {7}, 8, 10, 1, 1000);
    measure("unet 32,[1,2,2],2,attn 7", unetBatch, 784, runs,
        (b, x) -> new UNet(b, 28, 28, unet, 1).apply(x[0], x[1], new Condition(b.constant(new double[unetBatch], unetBatch))));
    MlpOptions mlp = new MlpOptions(128, 3, 32, Activation.SILU, 1000, 0);
    measure("mlp 128x3 silu", mlpBatch, 2, runs, (b, x) -> new Mlp(b, 2, mlp, 1).apply(x[0], x[1], Condition.none()));
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s[s.length / 2];
  }

  private static void measure(String name, int batch, int dim, int runs, BiFunction<Backend, Tensor[], Tensor> net) {
    measure(name + " (grappler on)", batch, dim, runs, net, true);
    measure(name + " (grappler off)", batch, dim, runs, net, false);
  }

  private static void measure(String name, int batch, int dim, int runs, BiFunction<Backend, Tensor[], Tensor> net,
      boolean optimised) {
    double[] x = CounterNoise.gaussian(1, 0, 1, batch * dim, 0);
    double[] t = new double[batch];
    java.util.Arrays.fill(t, 0.5);
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT32);
      Tensor xs = b.placeholder("x", batch, dim);
      Tensor ts = b.placeholder("t", batch, 1);
      long t0 = System.nanoTime();
      Tensor y = net.apply(b, new Tensor[] {xs, ts});
      long t1 = System.nanoTime();
      Tensor jv = y.jvp(List.of(xs, ts), List.of(xs.times(0.5), ts.zerosLike().plus(1)));
      long t2 = System.nanoTime();
      Tensor vjp = y.times(y.stopGradient()).sum().gradient(xs);
      long t3 = System.nanoTime();
      try (Session s = optimised ? new Session(g) : new Session(g, JvpCheck.UNOPTIMISED);
          var xf = Feeds.tensor(Precision.FLOAT32, x, batch, dim);
          var tf = Feeds.tensor(Precision.FLOAT32, t, batch, 1)) {
        // Weights are variables: initialise them by running their initialisers.
        s.initialize();
        double[] firstAndMedian = new double[6];
        for (int mode = 0; mode < 3; mode++) {
          double[] ms = new double[runs];
          for (int k = -1; k < runs; k++) {
            long a = System.nanoTime();
            Session.Runner r = s.runner().feed(xs.op(), xf).feed(ts.op(), tf).fetch(y.op());
            if (mode > 0) {
              r.fetch(mode == 1 ? jv.op() : vjp.op());
            }
            try (Result res = r.run()) {
              // discard
            }
            double elapsed = (System.nanoTime() - a) / 1e6;
            if (k < 0) {
              firstAndMedian[2 * mode] = elapsed;
            } else {
              ms[k] = elapsed;
            }
          }
          firstAndMedian[2 * mode + 1] = median(ms);
        }
        System.out.printf("%s batch %d: build forward %.0f ms, + jvp %.0f ms, + vjp %.0f ms; first run %.0f / %.0f / %.0f ms; "
            + "median forward %.1f ms, forward + jvp %.1f ms (x%.2f), forward + vjp %.1f ms (x%.2f), %d runs%n", name, batch,
            (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, firstAndMedian[0], firstAndMedian[2], firstAndMedian[4],
            firstAndMedian[1], firstAndMedian[3], firstAndMedian[3] / firstAndMedian[1], firstAndMedian[5],
            firstAndMedian[5] / firstAndMedian[1], runs);
      }
    }
  }
}
