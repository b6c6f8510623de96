package org.diffuse4j.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TimeGrid;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.testkit.GridConformance.Ends;
import org.diffuse4j.testkit.ScheduleConformance.End;
import org.junit.jupiter.api.Test;

/** The schedule, grid and parameterisation kits fail broken plugins, naming the method to fix. */
class KitsCatchBrokenPluginsTest {

  /** Rectified flow α = 1 − t, σ = t, with a chosen σ̇. */
  record Linear(double sigmaDotValue) implements Schedule {
    public double alpha(double t) {
      return 1 - t;
    }

    public double sigma(double t) {
      return t;
    }

    public double alphaDot(double t) {
      return -1;
    }

    public double sigmaDot(double t) {
      return sigmaDotValue;
    }

    public double tMin() {
      return 1e-3;
    }

    public double tMax() {
      return 1 - 1e-3;
    }
  }

  @Test
  void aCorrectScheduleConforms() {
    ScheduleConformance.assertConforms(new Linear(1), End.DATA_AT_ZERO, End.NOISE_AT_ONE);
  }

  @Test
  void aWrongDerivativeIsNamed() {
    assertThatThrownBy(() -> ScheduleConformance.assertConforms(new Linear(2)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("override sigmaDot(double)");
  }

  @Test
  void aSignalToNoiseRatioThatGrowsIsCaught() {
    Schedule reversed = new Schedule() { // α = t, σ = 1 − t: noise at 0, data at 1
      public double alpha(double t) {
        return t;
      }

      public double sigma(double t) {
        return 1 - t;
      }

      public double alphaDot(double t) {
        return 1;
      }

      public double sigmaDot(double t) {
        return -1;
      }

      public double tMin() {
        return 1e-3;
      }

      public double tMax() {
        return 1 - 1e-3;
      }
    };
    assertThatThrownBy(() -> ScheduleConformance.assertLambdaDecreasing(reversed))
        .isInstanceOf(AssertionError.class).hasMessageContaining("must decrease");
    assertThatThrownBy(() -> ScheduleConformance.assertEnd(reversed, End.DATA_AT_ZERO))
        .isInstanceOf(AssertionError.class).hasMessageContaining("alpha(0) must be 1");
  }

  @Test
  void aGridOneShortIsNamed() {
    TimeGrid shortGrid = (s, n) -> {
      double[] t = new double[n];
      for (int k = 0; k < n; k++) {
        t[k] = s.tMax() + (s.tMin() - s.tMax()) * k / Math.max(1, n - 1);
      }
      return t;
    };
    assertThatThrownBy(() -> GridConformance.assertConforms(shortGrid, Ends.T_MAX_TO_T_MIN))
        .isInstanceOf(AssertionError.class).hasMessageContaining("must return steps + 1");
  }

  @Test
  void aGridBelowTheSchedulesRangeIsCaught() {
    TimeGrid fixed = (s, n) -> {
      double[] t = new double[n + 1];
      for (int k = 0; k <= n; k++) {
        t[k] = 1 - 0.999 * k / n;
      }
      return t;
    };
    assertThatThrownBy(() -> GridConformance.assertConforms(fixed, GridConformance.edm(), Ends.INSIDE, new int[] {4}))
        .isInstanceOf(AssertionError.class).hasMessageContaining("must lie in the schedule's [tMin, tMax]");
  }

  @Test
  void aTargetThatIsNotInterpretsInverseIsNamed() {
    Parameterisation broken = new Parameterisation() { // interprets ε but regresses x0
      @Override
      public Prediction interpret(Tensor raw, Tensor x, PathPoint p) {
        return Prediction.fromEps(x, p, raw);
      }

      @Override
      public Tensor target(Tensor x0, Tensor eps, Tensor xt, PathPoint p) {
        return x0;
      }
    };
    assertThatThrownBy(() -> ParameterisationConformance.assertConforms(broken))
        .isInstanceOf(AssertionError.class).hasMessageContaining("make interpret(Tensor, Tensor, PathPoint) the inverse");
  }
}
