package org.diffuse4j.networks.unet;

import java.awt.image.BufferedImage;
import java.io.File;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.networks.AdamStep;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.data.FashionMnist;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;

/**
 * Not a test: trains a class-conditional U-Net on Fashion-MNIST for a few minutes (cosine VP path
 * α = cos(πt/2), σ = sin(πt/2), ε-prediction, 10% null labels, Adam) and writes a 10×10 grid of
 * DDIM samples with classifier-free guidance, one row per class, to check the network end to end.
 * Usage: {@code UNetFashionDemo steps batch base blocks out.png}.
 */
public final class UNetFashionDemo {
  private UNetFashionDemo() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static void main(String[] args) throws Exception {
    int steps = Integer.parseInt(args[0]);
    int batch = Integer.parseInt(args[1]);
    int base = Integer.parseInt(args[2]);
    int blocks = Integer.parseInt(args[3]);
    File png = new File(args[4]);
    FashionMnist data = FashionMnist.loadDefault();
    UNetOptions o = new UNetOptions(base, new int[] {1, 2, 2}, blocks, new int[] {7}, 8, 10, 1, 1000);
    int rows = 100;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Backend be = new Backend(tf, Precision.FLOAT32);
      UNet net = new UNet(be, 28, 28, o, 1);
      Tensor x0 = be.placeholder("x0", batch, 784);
      Tensor eps = be.placeholder("eps", batch, 784);
      Tensor t = be.placeholder("t", batch, 1);
      Tensor labels = be.placeholder("labels", batch);
      Tensor lr = be.placeholder("lr");
      Tensor b1p = be.placeholder("b1p");
      Tensor b2p = be.placeholder("b2p");
      Tensor angle = t.times(Math.PI / 2);
      Tensor loss = net.apply(x0.times(angle.cos()).plus(eps.times(angle.sin())), t, new Condition(labels))
          .minus(eps).square().mean();
      Op train = AdamStep.build(be, loss, net.variables(), lr, b1p, b2p);
      // guided ε for sampling: ε_null + w (ε_c − ε_null)
      Tensor xs = be.placeholder("xs", rows, 784);
      Tensor ts = be.placeholder("ts");
      Tensor ls = be.placeholder("ls", rows);
      Tensor w = be.placeholder("w");
      Tensor epsC = net.apply(xs, ts, new Condition(ls));
      Tensor epsU = net.apply(xs, ts, Condition.none());
      Tensor guided = epsU.plus(epsC.minus(epsU).times(w));

      try (Session s = new Session(g)) {
        long t0 = System.nanoTime();
        double avg = 0;
        for (int k = 0; k < steps; k++) {
          double[] xb = data.sample(1, (long) k * batch, batch);
          int[] yb = data.labels(1, (long) k * batch, batch);
          double[] eb = CounterNoise.gaussian(2, (long) k * batch, batch, 784, 0);
          double[] tb = new double[batch];
          double[] lb = new double[batch];
          for (int i = 0; i < batch; i++) {
            tb[i] = CounterNoise.uniform(3, (long) k * batch + i, 0, 0);
            lb[i] = CounterNoise.uniform(3, (long) k * batch + i, 0, 1) < 0.1 ? -1 : yb[i];
          }
          double rate = 2e-3 * Math.min(1, (k + 1) / 200.0) * 0.5 * (1 + Math.cos(Math.PI * k / steps));
          try (var a = Feeds.tensor(Precision.FLOAT32, xb, batch, 784);
              var e = Feeds.tensor(Precision.FLOAT32, eb, batch, 784);
              var tt = Feeds.tensor(Precision.FLOAT32, tb, batch, 1);
              var ll = Feeds.tensor(Precision.FLOAT32, lb, batch);
              var r0 = Feeds.scalar(Precision.FLOAT32, rate);
              var p1 = Feeds.scalar(Precision.FLOAT32, Math.pow(0.9, k + 1));
              var p2 = Feeds.scalar(Precision.FLOAT32, Math.pow(0.999, k + 1));
              Result r = s.runner().feed(x0.op(), a).feed(eps.op(), e).feed(t.op(), tt).feed(labels.op(), ll)
                  .feed(lr.op(), r0).feed(b1p.op(), p1).feed(b2p.op(), p2).addTarget(train).fetch(loss.op()).run()) {
            double l = Feeds.scalarValue(r.get(0));
            avg = k == 0 ? l : 0.98 * avg + 0.02 * l;
          }
          if ((k + 1) % 100 == 0) {
            System.out.printf("step %d loss(ema) %.4f  %.0f ms/step%n", k + 1, avg, (System.nanoTime() - t0) / 1e6 / (k + 1));
          }
        }
        // DDIM, 50 steps from t = 0.99 to 0, guidance w = 3
        double[] x = CounterNoise.gaussian(4, 0, rows, 784, 0);
        double[] lab = new double[rows];
        for (int i = 0; i < rows; i++) {
          lab[i] = i / 10;
        }
        int n = 50;
        for (int k = 0; k < n; k++) {
          double tc = 0.99 * (1 - (double) k / n);
          double tn = 0.99 * (1 - (double) (k + 1) / n);
          double ac = Math.cos(Math.PI / 2 * tc), sc = Math.sin(Math.PI / 2 * tc);
          double an = Math.cos(Math.PI / 2 * tn), sn = Math.sin(Math.PI / 2 * tn);
          double[] e;
          try (var xt = Feeds.tensor(Precision.FLOAT32, x, rows, 784);
              var tt = Feeds.scalar(Precision.FLOAT32, tc);
              var ll = Feeds.tensor(Precision.FLOAT32, lab, rows);
              var ww = Feeds.scalar(Precision.FLOAT32, 3.0);
              Result r = s.runner().feed(xs.op(), xt).feed(ts.op(), tt).feed(ls.op(), ll).feed(w.op(), ww).fetch(guided.op()).run()) {
            e = Feeds.values(r.get(0));
          }
          for (int i = 0; i < x.length; i++) {
            double x0hat = Math.max(-1, Math.min(1, (x[i] - sc * e[i]) / ac));
            double eh = (x[i] - ac * x0hat) / sc;
            x[i] = an * x0hat + sn * eh;
          }
        }
        BufferedImage img = new BufferedImage(10 * 28, 10 * 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < rows; i++) {
          for (int p = 0; p < 784; p++) {
            int v = (int) Math.round(Math.max(0, Math.min(255, (x[i * 784 + p] + 1) * 127.5)));
            img.getRaster().setSample((i % 10) * 28 + p % 28, (i / 10) * 28 + p / 28, 0, v);
          }
        }
        javax.imageio.ImageIO.write(img, "png", png);
        System.out.println("wrote " + png);
      }
    }
  }
}
