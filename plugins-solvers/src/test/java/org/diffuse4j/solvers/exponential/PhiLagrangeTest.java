package org.diffuse4j.solvers.exponential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PhiLagrangeTest {

  @Test
  void phiMatchesClosedFormsOnBothSidesOfTheSeriesCutOff() {
    for (double z : new double[] {-3.0, -0.7, -0.3, -1e-3, 1e-3, 0.2, 0.6, 2.5}) {
      double e = Math.exp(z);
      assertThat(Phi.phi(1, z)).isCloseTo((e - 1) / z, within(1e-12));
      assertThat(Phi.phi(2, z)).isCloseTo((e - 1 - z) / (z * z), within(1e-9));
      assertThat(Phi.phi(3, z)).isCloseTo((e - 1 - z - z * z / 2) / (z * z * z), within(1e-5));
    }
    assertThat(Phi.phi(3, 0)).isCloseTo(1.0 / 6, within(1e-15));
    assertThat(Phi.phi(4, 1e-9)).isCloseTo(1.0 / 24 + 1e-9 / 120, within(1e-15));
  }

  @Test
  void integralWeightsAreAdamsBashforthOnUniformNodes() {
    // nodes 0, −1, −2, −3 (newest first), step 1: AB4 = (55, −59, 37, −9)/24
    double[] w = Lagrange.integral(new double[] {0, -1, -2, -3}, 1);
    assertThat(w[0]).isCloseTo(55.0 / 24, within(1e-12));
    assertThat(w[1]).isCloseTo(-59.0 / 24, within(1e-12));
    assertThat(w[2]).isCloseTo(37.0 / 24, within(1e-12));
    assertThat(w[3]).isCloseTo(-9.0 / 24, within(1e-12));
    double[] w2 = Lagrange.integral(new double[] {0, -1}, 1);
    assertThat(w2).containsExactly(new double[] {1.5, -0.5}, within(1e-12));
  }

  @Test
  void exponentialWeightsIntegrateThePolynomialExactly() {
    // f(u) = 1 + 2u − u² sampled at non-uniform nodes; compare with Simpson quadrature of e^{z(h−u)/h} f(u)
    double[] nodes = {0, -0.4, -1.1};
    double h = 0.8;
    for (double z : new double[] {h, -h}) {
      double[] w = Lagrange.exponential(nodes, h, z);
      double viaWeights = 0;
      for (int j = 0; j < nodes.length; j++) {
        viaWeights += w[j] * f(nodes[j]);
      }
      int n = 2000;
      double quad = 0;
      for (int i = 0; i <= n; i++) {
        double u = h * i / n;
        double c = i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2;
        quad += c * Math.exp(z * (h - u) / h) * f(u);
      }
      quad *= h / n / 3;
      assertThat(viaWeights).isCloseTo(quad, within(1e-10));
    }
  }

  private static double f(double u) {
    return 1 + 2 * u - u * u;
  }

  @Test
  void uniPcSolvesTheVandermondeSystem() {
    double[] a = UniPc.solve(new double[] {-0.5, -1.2, 1.0}, new double[] {1, 2, 3}, 3);
    double[] r = {-0.5, -1.2, 1.0};
    for (int i = 0; i < 3; i++) {
      double s = 0;
      for (int j = 0; j < 3; j++) {
        s += Math.pow(r[j], i) * a[j];
      }
      assertThat(s).isCloseTo(i + 1.0, within(1e-12));
    }
  }
}
