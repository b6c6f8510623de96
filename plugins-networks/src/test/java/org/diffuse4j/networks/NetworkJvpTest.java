package org.diffuse4j.networks;

import java.util.List;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.model.Weights;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.networks.unet.UNet;
import org.diffuse4j.networks.unet.UNetOptions;
import org.junit.jupiter.api.Test;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;

/**
 * The JVP of whole networks along (v, 1) in (x, t), as MeanFlow's target needs, by two reverse
 * passes against central finite differences (float64): the MLP (SiLU and tanh) and a small U-Net
 * with every op it has (conv, stride-2 conv, nearest resize, GroupNorm, attention, SiLU, the time
 * and class embeddings). Weights are the initial ones plus N(0, 0.2²) noise, so that GroupNorm's γ,
 * β and the zero-initialised output conv are not trivial. time_scale 1 keeps the time embedding
 * smooth at the finite-difference step.
 */
class NetworkJvpTest {
  private static final int B = 2;

  /** Graph constants: each weight's initial value plus N(0, 0.2²) noise. */
  static Weights perturbed(long seed) {
    return new Weights() {
      private int next;

      @Override
      public Tensor create(Ops named, Tensor init) {
        double[] noise = CounterNoise.gaussian(seed, next++, 1, (int) init.shape().size(), 0);
        for (int i = 0; i < noise.length; i++) {
          noise[i] *= 0.2;
        }
        return init.plus(init.backend().constant(noise, init.shape().asArray()));
      }

      @Override
      public List<Variable<?>> variables() {
        return List.of();
      }
    };
  }

  private static double[] times() {
    return new double[] {0.3, 0.8};
  }

  private static double[] ones() {
    return new double[] {1, 1};
  }

  private static void report(String name, JvpCheck.Error e) {
    System.out.printf("jvp %-28s worst |Jv - fd| %.1e (max |Jv| %.1e)%n", name, e.worst(), e.scale());
  }

  @Test
  void mlpAlongXAndT() {
    for (Activation a : new Activation[] {Activation.SILU, Activation.TANH}) {
      MlpOptions o = new MlpOptions(16, 2, 8, a, 1, 0);
      int dim = 3;
      List<double[]> x = List.of(CounterNoise.gaussian(51, 0, 1, B * dim, 0), times());
      List<double[]> v = List.of(CounterNoise.gaussian(52, 0, 1, B * dim, 0), ones());
      report("mlp " + a, JvpCheck.check("mlp " + a,
          (b, in) -> new Mlp(b, dim, o, 5, perturbed(7)).apply(in.get(0), in.get(1), Condition.none()),
          x, v, new long[] {B, dim}, new long[] {B, 1}));
    }
  }

  @Test
  void unetAlongXAndTWithEveryOp() {
    // 8×8 → 4×4, attention at both sides and in the middle, 3 classes.
    UNetOptions o = new UNetOptions(8, new int[] {1, 2}, 1, new int[] {8, 4}, 4, 3, 1, 1);
    long[] shape = {B, 8, 8, 1};
    List<double[]> x = List.of(CounterNoise.gaussian(53, 0, 1, B * 64, 0), times());
    List<double[]> v = List.of(CounterNoise.gaussian(54, 0, 1, B * 64, 0), ones());
    report("unet 8x8", JvpCheck.check("unet",
        (b, in) -> new UNet(b, 8, 8, o, 5, perturbed(9)).apply(in.get(0), in.get(1), new Condition(b.constant(new double[] {2, 0}, B))),
        x, v, shape, new long[] {B, 1}));
    // d/dt alone (the ∂ₜ term of MeanFlow's total derivative), so the t path is checked on its own.
    report("unet 8x8 d/dt", JvpCheck.check("unet d/dt",
        (b, in) -> new UNet(b, 8, 8, o, 5, perturbed(9)).apply(in.get(0), in.get(1), Condition.none()),
        x, List.of(new double[B * 64], ones()), shape, new long[] {B, 1}));
  }

  /** The U-Net's JVP along (v, 1) at fixed inputs, built and run in the given precision. */
  private static double[] unetJvp(org.diffuse4j.api.tensor.Precision precision) {
    UNetOptions o = new UNetOptions(8, new int[] {1, 2}, 1, new int[] {4}, 4, 0, 1, 1000);
    try (org.tensorflow.Graph g = new org.tensorflow.Graph(); org.tensorflow.Session s = new org.tensorflow.Session(g)) {
      org.diffuse4j.api.tensor.Backend b = new org.diffuse4j.api.tensor.Backend(Ops.create(g), precision);
      // Placeholders, not constants: TensorFlow would otherwise constant-fold the whole network (slow).
      Tensor x = b.placeholder("x", B, 8, 8, 1);
      Tensor t = b.placeholder("t", B, 1);
      Tensor y = new UNet(b, 8, 8, o, 5, perturbed(9)).apply(x, t, Condition.none());
      Tensor jv = y.jvp(List.of(x, t), List.of(b.constant(CounterNoise.gaussian(54, 0, 1, B * 64, 0), B, 8, 8, 1),
          b.constant(ones(), B, 1).times(1e-3)));
      try (var xf = org.diffuse4j.api.tensor.Feeds.tensor(precision, CounterNoise.gaussian(53, 0, 1, B * 64, 0), B, 8, 8, 1);
          var tf = org.diffuse4j.api.tensor.Feeds.tensor(precision, times(), B, 1);
          org.tensorflow.Result r = s.runner().feed(x.op(), xf).feed(t.op(), tf).fetch(jv.op()).run()) {
        return org.diffuse4j.api.tensor.Feeds.values(r.get(0));
      }
    }
  }

  @Test
  void unetJvpInFloat32AgreesWithFloat64() {
    // Training runs in float32: the two reverse passes lose no more than the forward pass does.
    // A default session (Grappler on), so its rewrites of a JVP graph are covered too (~15 s of the test).
    // (time_scale 1000 with a t tangent of 1e-3: the same derivative as time_scale 1 along 1.)
    double[] f64 = unetJvp(org.diffuse4j.api.tensor.Precision.FLOAT64);
    double[] f32 = unetJvp(org.diffuse4j.api.tensor.Precision.FLOAT32);
    double worst = 0;
    double scale = 0;
    for (int i = 0; i < f64.length; i++) {
      worst = Math.max(worst, Math.abs(f32[i] - f64[i]));
      scale = Math.max(scale, Math.abs(f64[i]));
    }
    System.out.printf("jvp unet float32 vs float64: worst %.1e of max |Jv| %.1e%n", worst, scale);
    org.assertj.core.api.Assertions.assertThat(worst).isLessThan(1e-4 * scale);
  }

  @Test
  void unetOnOddSidesAlongXOnly() {
    // 7×7 → 4×4 → 7×7 (resize to an odd side), flat input, scalar t not differentiated.
    UNetOptions o = new UNetOptions(4, new int[] {1, 1}, 1, new int[] {4}, 2, 0, 1, 1);
    report("unet 7x7 flat", JvpCheck.check("unet 7x7",
        (b, in) -> new UNet(b, 7, 7, o, 6, perturbed(11)).apply(in.get(0), b.scalar(0.4), Condition.none()),
        new long[] {B, 49}));
  }
}
