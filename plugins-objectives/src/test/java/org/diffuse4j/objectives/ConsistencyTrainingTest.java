package org.diffuse4j.objectives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConstantNoise;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.schedules.EdmSchedule;
import org.diffuse4j.schedules.RectifiedFlow;
import org.diffuse4j.schedules.X0Parameterisation;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/** Improved consistency training (Song & Dhariwal 2023): curriculum, levels, pairing, loss and its stopped gradient. */
class ConsistencyTrainingTest {

  final ConsistencyTraining ct = new ConsistencyTraining(0.002, 80, 7, -1.1, 2.0, 10, 1280, 10_000);

  @Test
  void curriculumDoublesEveryKPrimeSteps() {
    // K' = ⌊K/(log₂⌊s1/s0⌋ + 1)⌋ = ⌊10000/8⌋ = 1250; N(k) = min(s0·2^⌊k/K'⌋, s1) + 1
    assertThat(ct.levels(0)).isEqualTo(11);
    assertThat(ct.levels(1249)).isEqualTo(11);
    assertThat(ct.levels(1250)).isEqualTo(21);
    assertThat(ct.levels(3750)).isEqualTo(81);
    assertThat(ct.levels(8750)).isEqualTo(1281);
    assertThat(ct.levels(9999)).isEqualTo(1281);
  }

  @Test
  void levelsAndTheirDensityAreThePapers() {
    // numpy/scipy (erf) on the paper's formulas, N = 11, r from 0.002 to 80, ρ = 7, P_mean −1.1, P_std 2
    double[] r = {0.0020000000000000013, 0.01672075323499393, 0.08508720268939021, 0.3182832888392961,
        0.9654169263318955, 2.515218976147159, 5.838947631011886, 12.381576138540881, 24.40834178658012,
        45.313734075226606, 80.0};
    double[] p = {0.0626329925062612, 0.18173697971064975, 0.24550142196717029, 0.21349444702335427,
        0.14244605802390156, 0.08060462167684367, 0.04107990622240078, 0.01958009224133926,
        0.008943868413767757, 0.003979612214311477};
    double[] kr = ct.karras(11);
    double[] kp = ct.pairProbabilities(11);
    for (int i = 0; i < r.length; i++) {
      assertThat(kr[i]).isCloseTo(r[i], within(1e-12 * r[i]));
    }
    for (int i = 0; i < p.length; i++) {
      assertThat(kp[i]).isCloseTo(p[i], within(1e-9));
    }
  }

  @Test
  void timesArePairedWithTheLevelBelow() {
    for (Schedule sch : new Schedule[] {new EdmSchedule(0.002, 80, 7), new RectifiedFlow()}) {
      double[] r = ct.karras(11);
      for (double u : new double[] {0.01, 0.3, 0.7, 0.999}) {
        double t = ct.sampleTime(sch, u, 0);
        double rt = sch.sigma(t) / sch.alpha(t);
        int i = 1;
        while (Math.abs(r[i] - rt) > 1e-9 * r[i]) {
          i++;
        }
        double tp = ct.pairedTime(sch, t, 0);
        assertThat(sch.sigma(tp) / sch.alpha(tp)).as("%s u=%s", sch, u).isCloseTo(r[i - 1], within(1e-9 * r[i - 1]));
      }
      // u below the first pair's mass picks the first pair (r_1, r_2)
      assertThat(sch.sigma(ct.sampleTime(sch, 0.01, 0)) / sch.alpha(ct.sampleTime(sch, 0.01, 0)))
          .isCloseTo(r[1], within(1e-9));
    }
  }

  @Test
  void lossIsWeightedPseudoHuberAndTheTargetBranchHasNoGradient() {
    // x0 = (0.4, −1), ε = (1.2, 0.5), VE (α = 1) at r = 2 and its paired r' = 1.5; network F = w·x with
    // the x0-parameterisation, so f = w x: L = λ(√(w²‖x − x'‖² + c²) − c) with λ = 1/(r − r'),
    // c = 0.00054·√2, and, with the target's gradient stopped, dL/dw = λ (w x − w' x')·x / √(…) at w' = w
    double w = 0.7;
    double[] x0 = {0.4, -1.0};
    double[] e = {1.2, 0.5};
    double r1 = 2.0;
    double r0 = 1.5;
    double c = 0.00054 * Math.sqrt(2);
    double lam = 1 / (r1 - r0);
    double sq = 0;
    double dot = 0;
    for (int j = 0; j < 2; j++) {
      double x = x0[j] + r1 * e[j];
      double xp = x0[j] + r0 * e[j];
      sq += (w * x - w * xp) * (w * x - w * xp);
      dot += (w * x - w * xp) * x;
    }
    double expectedLoss = lam * (Math.sqrt(sq + c * c) - c);
    double expectedGrad = lam * dot / Math.sqrt(sq + c * c);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Backend b = new Backend(tf, Precision.FLOAT64);
      Tensor wv = b.scalar(w);
      Network net = (x, t, cond) -> x.times(wv);
      PathPoint p = new PathPoint(b.scalar(0.9), b.scalar(1), b.scalar(r1), b.scalar(0), b.scalar(1));
      PathPoint q = new PathPoint(b.scalar(0.8), b.scalar(1), b.scalar(r0), b.scalar(0), b.scalar(1));
      TrainingBatch batch = new TrainingBatch(b.constant(x0, 1, 2), b.constant(e, 1, 2), p, b.constant(new double[] {1}, 1, 1),
          Condition.none(), new ConstantNoise(1, 0), q);
      Tensor loss = ct.loss(batch, net, new X0Parameterisation()).sum();
      Tensor grad = loss.gradient(wv);
      try (Result res = s.runner().fetch(loss.op()).fetch(grad.op()).run()) {
        assertThat(((TFloat64) res.get(0)).getDouble()).isCloseTo(expectedLoss, within(1e-12));
        assertThat(((TFloat64) res.get(1)).getDouble()).isCloseTo(expectedGrad, within(1e-12));
      }
    }
  }
}
