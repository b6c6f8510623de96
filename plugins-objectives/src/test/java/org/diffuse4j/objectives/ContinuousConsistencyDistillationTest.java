package org.diffuse4j.objectives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Teacher;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.TrainingNetworks;
import org.diffuse4j.api.ConstantNoise;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.schedules.RectifiedFlow;
import org.diffuse4j.schedules.TrigFlow;
import org.diffuse4j.schedules.X0Parameterisation;
import org.diffuse4j.solvers.ButcherTableau;
import org.diffuse4j.solvers.RungeKutta;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * sCD with the exact Gaussian denoiser as the teacher (on rectified flow, the student on trigflow):
 * its velocity is the marginal TrigFlow velocity, so the exact consistency function has zero
 * tangent at any x; and each row's teacher velocity matches the closed form at its own level, or, with
 * continuous times (levels 0), at its own σ/α through the teacher's point the trainer feeds.
 */
class ContinuousConsistencyDistillationTest {
  private static final double SD = 0.5;
  private static final double[] M = {1.5, -0.5};
  private static final double C = 0.7;
  private static final int B = 6;
  private static final int D = 2;

  private static double[] run(Graph g, Tensor out) {
    try (Session session = new Session(g); Result r = session.runner().fetch(out.op()).run()) {
      return Feeds.values(r.get(0));
    }
  }

  private static Network exactF(double cc) {
    return (x, t, cond) -> {
      Tensor m = x.backend().constant(M, 1, D);
      Tensor ang = t.times(0.5 * Math.PI);
      Tensor alpha = ang.cos();
      Tensor r = ang.sin().times(SD).div(alpha);
      Tensor k = r.square().plus(cc * cc).sqrt().rdiv(cc);
      return m.plus(x.div(alpha).minus(m).times(k));
    };
  }

  private static final TrigFlow STUDENT = new TrigFlow(SD);
  private static final RectifiedFlow TEACHER_SCHEDULE = new RectifiedFlow();

  private static Teacher teacher() {
    GaussianMixture gauss = new GaussianMixture(new double[][] {M}, new double[] {C}, new double[] {1});
    return new Teacher(gauss.denoiser(TEACHER_SCHEDULE), null, TEACHER_SCHEDULE, new RungeKutta(ButcherTableau.EULER));
  }

  /**
   * At rows (t, xs) of the student: each row's teacher velocity (at its level, or with {@code continuous}
   * at its own σ/α through the teacher's point) against the closed-form marginal TrigFlow velocity of
   * N(m, c²I) (10⁻¹⁰); the exact consistency function's loss below 10⁻²⁰, one with c 20% off above 10⁻⁴.
   */
  private static void assertExactTangent(ContinuousConsistencyDistillation scd, double[] t, double[] xs, boolean continuous) {
    double[] tTeacher = new double[B];
    for (int i = 0; i < B; i++) {
      tTeacher[i] = TEACHER_SCHEDULE.timeOfLambda(STUDENT.lambda(t[i]));
    }
    for (double cc : new double[] {C, 0.8 * C}) {
      try (Graph g = new Graph()) {
        Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
        Teacher teacher = teacher();
        PathPoint p = PathPoint.columns(STUDENT, t, b);
        PathPoint atTeacher = continuous ? PathPoint.columns(TEACHER_SCHEDULE, tTeacher, b) : null;
        Tensor x = b.constant(xs, B, D);
        // x0 and ε are not used by sCD's tangent; the batch needs them for x_t = α x0 + σ ε = x
        Tensor x0 = x.div(p.alpha());
        TrainingBatch batch = new TrainingBatch(x0, x0.zerosLike(), p, p.t().zerosLike().plus(1), Condition.none(),
            new ConstantNoise(1, 0), null, null, atTeacher);
        Tensor v = continuous ? scd.teacherVelocity(teacher, x.div(p.alpha()), p, atTeacher, Condition.none())
            : scd.teacherVelocity(teacher, x.div(p.alpha()), p, Condition.none());
        Tensor loss = scd.loss(batch, new TrainingNetworks(exactF(cc), null, teacher), new X0Parameterisation());
        double[] vv = run(g, v);
        double[] lv = run(g, loss);
        for (int i = 0; i < B; i++) {
          // the marginal TrigFlow velocity of N(m, c²I) at x_τ = cos τ·y: d/dτ of cos τ·(m + κ(r)(y − m)) along
          // r = σ_d tan τ, with y_r = m + (√(c² + r²)/√(c² + r0²))(y − m), so dy/dr = r/(c² + r²)·(y − m)
          double a = STUDENT.alpha(t[i]);
          double r = STUDENT.sigma(t[i]) / a;
          double tau = Math.atan(r / SD);
          double drdtau = SD / (Math.cos(tau) * Math.cos(tau));
          for (int j = 0; j < D; j++) {
            double y = xs[i * D + j] / a;
            double expected = -Math.sin(tau) * y + Math.cos(tau) * r / (C * C + r * r) * (y - M[j]) * drdtau;
            assertThat(vv[i * D + j]).as("teacher velocity row %d", i).isCloseTo(expected, within(1e-10));
          }
          if (cc == C) {
            assertThat(lv[i]).as("loss of the exact f, row %d", i).isLessThan(1e-20);
          } else {
            assertThat(lv[i]).as("loss of f with c 20%% off, row %d", i).isGreaterThan(1e-4);
          }
        }
      }
    }
  }

  @Test
  void theExactConsistencyFunctionHasZeroTangentAlongTheTeachersVelocity() {
    ContinuousConsistencyDistillation scd = new ContinuousConsistencyDistillation(SD, -1, 1.4, 0.1, 0, 8, false);
    double[] t = new double[B];
    for (int i = 0; i < B; i++) {
      t[i] = scd.sampleTime(STUDENT, (i * 5 % B + 0.5) / B); // levels out of order
    }
    double[] xs = CounterNoise.gaussian(41, 0, B, D, 1);
    for (int k = 0; k < xs.length; k++) {
      xs[k] = 1.3 * xs[k] + 0.2;
    }
    assertExactTangent(scd, t, xs, false);
  }

  @Test
  void levelsAreTheLogNormalQuantiles() {
    ContinuousConsistencyDistillation scd = new ContinuousConsistencyDistillation(SD, -1, 1.4, 0.1, 0, 4, false);
    // Φ⁻¹(1/8, 3/8, 5/8, 7/8) = ∓1.1503494, ∓0.3186394
    double[] z = {-1.1503493803760079, -0.31863936396437515, 0.31863936396437515, 1.1503493803760079};
    for (int k = 0; k < 4; k++) {
      assertThat(scd.levels()[k]).isCloseTo(Math.exp(-1 + 1.4 * z[k]), within(1e-6));
    }
    TrigFlow s = new TrigFlow(SD);
    assertThat(scd.sampleTime(s, 0.6)).isCloseTo(s.timeOfLambda(-Math.log(scd.levels()[2])), within(1e-12));
  }

  @Test
  void withContinuousTimesEachRowReadsTheTeacherAtItsOwnSigmaOverAlpha() {
    ContinuousConsistencyDistillation scd = new ContinuousConsistencyDistillation(SD, -1, 1.4, 0.1, 0, 0, false);
    double[] t = new double[B];
    for (int i = 0; i < B; i++) {
      t[i] = scd.sampleTime(STUDENT, (i + 0.37) / B);
    }
    assertThat(t).as("continuous: no two rows share a time").doesNotHaveDuplicates();
    double[] xs = CounterNoise.gaussian(43, 0, B, D, 1);
    assertExactTangent(scd, t, xs, true);
    try (Graph g = new Graph()) {
      Backend b = new Backend(Ops.create(g), Precision.FLOAT64);
      PathPoint p = PathPoint.columns(STUDENT, t, b);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> scd.teacherVelocity(teacher(), b.constant(xs, B, D), p, null,
          Condition.none())).hasMessageContaining("teacherPoint");
    }
  }
}
