package org.diffuse4j.networks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;

/**
 * The two-moons MLP's training step alone (two-moons.yaml: 3×256 SiLU, 32 time features, batch 1024,
 * rectified-flow velocity loss, tf.gradients + ApplyAdam; no EMA, gradient norm or Java-side batch,
 * which the CLI's step adds); not a test (issue 17, docs/benchmarks.md).
 * {@code MlpProfile time STEPS}: median wall ms per step after 20 warm-up steps.
 * {@code MlpProfile trace STEPS}: FULL_TRACE step stats summed by kernel ({@link StepProfile}).
 * {@code MlpProfile gemm RUNS}: the rate of TensorFlow's float32 MatMul on the MLP's largest product,
 * [1024, 256]·[256, 256], 64 products per {@code Session.run} (best of RUNS runs).
 * {@code MlpProfile products STEPS}: the step's 12 matrix products alone, in the order their data
 * dependencies impose (4 forward, 8 backward, transposed as MatMul's gradient is), median wall ms per
 * run after 20 warm-up runs: what a step costs TensorFlow before any element-wise work.
 */
public final class MlpProfile {
  private static final int BATCH = 1024;

  private MlpProfile() {}

  private static void gemm(int runs) {
    int products = 64;
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Backend be = new Backend(Ops.create(graph), Precision.FLOAT32);
      Tensor a = be.placeholder("a", BATCH, 256); // fed, so that no product is folded into a constant
      Tensor b = be.placeholder("b", 256, 256);
      List<Op> all = new ArrayList<>();
      for (int i = 0; i < products; i++) {
        all.add(a.plus(i).matmul(b).op()); // a + i: distinct products, none shared
      }
      double best = Double.MAX_VALUE;
      try (var av = Feeds.tensor(Precision.FLOAT32, CounterNoise.gaussian(3, 0, BATCH, 256, 0), BATCH, 256);
          var bv = Feeds.tensor(Precision.FLOAT32, CounterNoise.gaussian(4, 0, 256, 256, 0), 256, 256)) {
        for (int r = 0; r < runs + 3; r++) {
          long t0 = System.nanoTime();
          Session.Runner run = session.runner().feed(a.op(), av).feed(b.op(), bv);
          all.forEach(run::addTarget);
          run.run().close();
          if (r >= 3) {
            best = Math.min(best, (System.nanoTime() - t0) / 1e6 / products);
          }
        }
      }
      // the a + i additions are timed too: a third of a product's memory traffic, little of its arithmetic
      System.out.printf("gemm [1024,256]x[256,256]: %.3f ms per product (incl. one [1024,256] add), %.1f GFLOPS%n", best,
          2.0 * BATCH * 256 * 256 / (best * 1e6));
    }
  }

  /** The MLP step's products alone: forward x·W₁ … h₃·W₄, backward dh·Wᵀ and hᵀ·dh per layer. */
  private static void products(int steps) {
    int[] widths = {34, 256, 256, 256, 2}; // 2 coordinates + 32 time features in, 3 hidden layers, 2 out
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Backend be = new Backend(tf, Precision.FLOAT32);
      List<Tensor> w = new ArrayList<>();
      for (int l = 0; l < 4; l++) {
        w.add(be.constant(CounterNoise.gaussian(10 + l, 0, widths[l], widths[l + 1], 0), widths[l], widths[l + 1]));
      }
      Tensor x = be.placeholder("x", BATCH, widths[0]);
      List<Tensor> h = new ArrayList<>(List.of(x));
      for (int l = 0; l < 4; l++) {
        h.add(h.get(l).matmul(w.get(l)));
      }
      List<Op> grads = new ArrayList<>();
      Tensor d = h.get(4); // stands in for the loss gradient, same shape
      for (int l = 3; l >= 0; l--) {
        grads.add(be.wrap(tf.linalg.matMul(h.get(l).op(), d.op(), org.tensorflow.op.linalg.MatMul.transposeA(true))).op());
        if (l > 0) {
          d = be.wrap(tf.linalg.matMul(d.op(), w.get(l).op(), org.tensorflow.op.linalg.MatMul.transposeB(true)));
        }
      }
      double[] ms = new double[steps];
      try (var xv = Feeds.tensor(Precision.FLOAT32, CounterNoise.gaussian(3, 0, BATCH, widths[0], 0), BATCH, widths[0])) {
        for (int k = -20; k < steps; k++) {
          long t0 = System.nanoTime();
          Session.Runner run = session.runner().feed(x.op(), xv);
          grads.forEach(run::addTarget);
          run.run().close();
          if (k >= 0) {
            ms[k] = (System.nanoTime() - t0) / 1e6;
          }
        }
      }
      Arrays.sort(ms);
      System.out.printf("mlp products alone (12, 0.84 GFLOP): median %.2f ms per run over %d runs%n", ms[steps / 2], steps);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static void main(String[] args) {
    if (args[0].equals("gemm")) {
      gemm(Integer.parseInt(args[1]));
      return;
    }
    if (args[0].equals("products")) {
      products(Integer.parseInt(args[1]));
      return;
    }
    boolean trace = args[0].equals("trace");
    int steps = Integer.parseInt(args[1]);
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Backend be = new Backend(tf, Precision.FLOAT32);
      Mlp net = new Mlp(be, 2, new MlpOptions(256, 3, 32, Activation.SILU, 1000, 0), 1);
      Tensor x0 = be.placeholder("x0", BATCH, 2);
      Tensor eps = be.placeholder("eps", BATCH, 2);
      Tensor t = be.placeholder("t", BATCH, 1);
      Tensor xt = x0.times(t.neg().plus(1)).plus(eps.times(t));
      Tensor loss = net.apply(xt, t, Condition.none()).minus(eps.minus(x0)).square().mean();
      Op train = AdamStep.build(be, loss, net.variables(), be.scalar(1e-3), be.scalar(0.5), be.scalar(0.5));
      double[] x = CounterNoise.gaussian(1, 0, BATCH, 2, 0);
      double[] e = CounterNoise.gaussian(2, 0, BATCH, 2, 0);
      double[] times = new double[BATCH];
      for (int i = 0; i < BATCH; i++) {
        times[i] = (i + 0.5) / BATCH;
      }
      StepProfile profile = new StepProfile(graph);
      double[] ms = new double[steps];
      try (Session session = new Session(graph)) {
        for (int k = -20; k < steps; k++) {
          long t0 = System.nanoTime();
          try (var xf = Feeds.tensor(Precision.FLOAT32, x, BATCH, 2);
              var ef = Feeds.tensor(Precision.FLOAT32, e, BATCH, 2);
              var tf0 = Feeds.tensor(Precision.FLOAT32, times, BATCH, 1)) {
            Session.Runner r = session.runner().feed(x0.op(), xf).feed(eps.op(), ef).feed(t.op(), tf0).addTarget(train).fetch(loss.op());
            if (trace && k >= 0) {
              try (Result res = r.setOptions(StepProfile.FULL_TRACE).runAndFetchMetadata()) {
                profile.add(res.getMetadata().orElseThrow(), System.nanoTime() - t0);
              }
            } else {
              r.run().close();
            }
          }
          if (k >= 0) {
            ms[k] = (System.nanoTime() - t0) / 1e6;
          }
        }
      }
      if (trace) {
        profile.print("mlp", 25);
      } else {
        Arrays.sort(ms);
        System.out.printf("mlp: median %.2f ms/step over %d steps%n", ms[steps / 2], steps);
      }
    }
  }
}
