package org.diffuse4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Toy2dTest {
  private static final int N = 20_000;

  @Test
  void namesRoundTripAndTyposGetASuggestion() {
    for (Toy2d t : Toy2d.values()) {
      assertThat(Toy2d.of(t.id())).isSameAs(t);
    }
    assertThat(Toy2d.TWO_MOONS.id()).isEqualTo("two-moons");
    assertThat(Toy2d.EIGHT_GAUSSIANS.id()).isEqualTo("8-gaussians");
    assertThatThrownBy(() -> Toy2d.of("two-moon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'two-moon'")
        .hasMessageContaining("two-moons, 8-gaussians, checkerboard, spirals")
        .hasMessageContaining("did you mean 'two-moons'");
    assertThatThrownBy(() -> Toy2d.of("mnist")).hasMessageNotContaining("did you mean");
  }

  @ParameterizedTest
  @EnumSource(Toy2d.class)
  void reproducibleAndBatchIndependent(Toy2d set) {
    double[] whole = set.sample(17, 0, 20);
    assertThat(set.sample(17, 0, 20)).containsExactly(whole);
    assertThat(set.sample(17, 5, 10)).containsExactly(Arrays.copyOfRange(whole, 10, 30));
    assertThat(set.sample(18, 0, 20)).isNotEqualTo(whole);
    assertThat(set.sample(17, 0, 0)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Toy2d.class)
  void zeroMeanUnitVariancePerAxis(Toy2d set) {
    double[] xy = set.sample(3, 0, N);
    for (int axis = 0; axis < 2; axis++) {
      double mean = 0;
      double sq = 0;
      for (int i = 0; i < N; i++) {
        mean += xy[2 * i + axis];
        sq += xy[2 * i + axis] * xy[2 * i + axis];
      }
      mean /= N;
      double var = sq / N - mean * mean;
      // Standard errors at N = 20000 are about 0.007 (mean) and 0.01 to 0.02 (variance).
      assertThat(mean).as("%s mean of axis %d", set, axis).isCloseTo(0, within(0.04));
      assertThat(var).as("%s variance of axis %d", set, axis).isCloseTo(1, within(0.06));
    }
  }

  @Test
  void eightGaussiansClusterAroundEightPointsOnACircle() {
    double[] xy = Toy2d.EIGHT_GAUSSIANS.sample(1, 0, N);
    double r = Toy2d.GAUSSIANS_RADIUS;
    double[][] sum = new double[8][2];
    int[] count = new int[8];
    for (int i = 0; i < N; i++) {
      double x = xy[2 * i];
      double y = xy[2 * i + 1];
      int k = (int) Math.floorMod(Math.round(Math.atan2(y, x) / (2 * Math.PI / 8)), 8);
      sum[k][0] += x;
      sum[k][1] += y;
      count[k]++;
      double cx = r * Math.cos(2 * Math.PI * k / 8);
      double cy = r * Math.sin(2 * Math.PI * k / 8);
      // 6 standard deviations: beyond that a point would not belong to its blob.
      assertThat(Math.hypot(x - cx, y - cy)).isLessThan(6 * Toy2d.GAUSSIANS_STD);
    }
    for (int k = 0; k < 8; k++) {
      assertThat(count[k]).isCloseTo(N / 8, within(N / 8 / 8));
      assertThat(sum[k][0] / count[k]).isCloseTo(r * Math.cos(2 * Math.PI * k / 8), within(0.02));
      assertThat(sum[k][1] / count[k]).isCloseTo(r * Math.sin(2 * Math.PI * k / 8), within(0.02));
    }
  }

  @Test
  void checkerboardPointsFallInTheBlackSquares() {
    double[] xy = Toy2d.CHECKERBOARD.sample(2, 0, N);
    int[] perSquare = new int[16];
    for (int i = 0; i < N; i++) {
      double x = xy[2 * i] / Toy2d.CHECKER_SCALE;
      double y = xy[2 * i + 1] / Toy2d.CHECKER_SCALE;
      assertThat(x).isBetween(-2.0, 2.0);
      assertThat(y).isBetween(-2.0, 2.0);
      int col = (int) Math.floor(x + 2);
      int row = (int) Math.floor(y + 2);
      assertThat((col + row) % 2).as("square (%d, %d)", col, row).isZero();
      perSquare[4 * row + col]++;
    }
    for (int row = 0; row < 4; row++) {
      for (int col = 0; col < 4; col++) {
        int expected = (row + col) % 2 == 0 ? N / 8 : 0;
        assertThat(perSquare[4 * row + col]).isCloseTo(expected, within(N / 8 / 8));
      }
    }
  }

  @Test
  void twoMoonsLieOnTheirTwoArcs() {
    double[] xy = Toy2d.TWO_MOONS.sample(4, 0, N);
    int upper = 0;
    for (int i = 0; i < N; i++) {
      // Undo the documented standardisation to get back to the raw construction.
      double x = xy[2 * i] * Math.sqrt(Toy2d.MOONS_VAR_X) + Toy2d.MOONS_MEAN_X;
      double y = xy[2 * i + 1] * Math.sqrt(Toy2d.MOONS_VAR_Y) + Toy2d.MOONS_MEAN_Y;
      double fromUpper = Math.abs(Math.hypot(x, y) - 1); // arc (cos t, sin t)
      double fromLower = Math.abs(Math.hypot(x - 1, y - 0.5) - 1); // arc (1 − cos t, 0.5 − sin t)
      assertThat(Math.min(fromUpper, fromLower)).isLessThan(6 * Toy2d.MOONS_NOISE);
      if (fromUpper < fromLower) {
        upper++;
      }
    }
    assertThat(upper).isCloseTo(N / 2, within(N / 20));
  }

  @Test
  void spiralPointsLieNearOneOfTheTwoArms() {
    int n = 3000;
    double[] xy = Toy2d.SPIRALS.sample(5, 0, n);
    int curve = 4000;
    double[][] arm = new double[2 * curve][];
    for (int k = 0; k < curve; k++) {
      double r = (double) k / (curve - 1);
      double theta = 2 * Math.PI * Toy2d.SPIRAL_TURNS * r;
      arm[k] = new double[] {r * Math.cos(theta), r * Math.sin(theta)};
      arm[curve + k] = new double[] {-arm[k][0], -arm[k][1]};
    }
    int[] nearest = new int[2];
    for (int i = 0; i < n; i++) {
      double x = xy[2 * i] * Toy2d.SPIRAL_STD[0];
      double y = xy[2 * i + 1] * Toy2d.SPIRAL_STD[1];
      double best = Double.POSITIVE_INFINITY;
      int bestArm = 0;
      for (int k = 0; k < arm.length; k++) {
        double d = Math.hypot(x - arm[k][0], y - arm[k][1]);
        if (d < best) {
          best = d;
          bestArm = k / curve;
        }
      }
      assertThat(best).isLessThan(6 * Toy2d.SPIRAL_NOISE);
      nearest[bestArm]++;
    }
    assertThat(nearest[0]).isCloseTo(n / 2, within(n / 15));
  }
}
