package org.diffuse4j.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.schedules.DiscreteSchedule.BetaKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every schedule keeps: derivatives equal central finite differences, λ's inverse
 * round-trips, overridden f, g², λ agree with the general formulas, g² ≥ 0 and nothing is NaN on
 * [tMin, tMax].
 */
class ScheduleContractTest {

  static Map<String, Schedule> schedules() {
    Map<String, Schedule> m = new LinkedHashMap<>();
    m.put("vp", new VariancePreserving(0.1, 20));
    m.put("vp-cosine", new VpCosine());
    m.put("sub-vp", new SubVariancePreserving(0.1, 20));
    m.put("ve", new VarianceExploding(0.01, 50));
    m.put("edm", new EdmSchedule(0.002, 80, 7));
    m.put("rectified-flow", new RectifiedFlow());
    m.put("trig", new TrigFlow(1.0));
    m.put("trigflow", new TrigFlow(0.5));
    m.put("discrete-linear", DiscreteSchedule.of(BetaKind.LINEAR, 1000, 1e-4, 0.02, false));
    m.put("discrete-scaled-zero-snr", DiscreteSchedule.of(BetaKind.SCALED_LINEAR, 1000, 0.00085, 0.012, true));
    m.put("discrete-cosine", DiscreteSchedule.of(BetaKind.SQUAREDCOS_CAP_V2, 50, 0, 0, false));
    m.put("shifted-rf-3", new Shifted(new RectifiedFlow(), 3.0));
    m.put("shifted-vp-0.5", new Shifted(new VariancePreserving(0.1, 20), 0.5));
    return m;
  }

  static Stream<Arguments> all() {
    return schedules().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  /** Interior times; for discrete tables, mid-points of segments so that t ± h stays in one piece. */
  static double[] interior(Schedule s, int n) {
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      double u = s.tMin() + (s.tMax() - s.tMin()) * (i + 0.5) / n;
      if (s instanceof DiscreteSchedule d) {
        int steps = d.trainSteps();
        u = (Math.floor(u * steps) + 0.5) / steps;
      }
      t[i] = u;
    }
    return t;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void derivativesMatchCentralDifferences(String name, Schedule s) {
    for (double t : interior(s, 23)) {
      double h = 1e-6 * Math.min(1.0, t);
      double fdAlpha = (s.alpha(t + h) - s.alpha(t - h)) / (2 * h);
      double fdSigma = (s.sigma(t + h) - s.sigma(t - h)) / (2 * h);
      assertThat(s.alphaDot(t)).as("%s alphaDot at t=%s", name, t)
          .isCloseTo(fdAlpha, within(1e-6 * Math.max(1, Math.abs(fdAlpha))));
      assertThat(s.sigmaDot(t)).as("%s sigmaDot at t=%s", name, t)
          .isCloseTo(fdSigma, within(1e-6 * Math.max(1, Math.abs(fdSigma))));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void lambdaInverseRoundTrips(String name, Schedule s) {
    double[] inner = interior(s, 37);
    double[] t = new double[inner.length + 2];
    System.arraycopy(inner, 0, t, 0, inner.length);
    t[inner.length] = s.tMin();
    t[inner.length + 1] = s.tMax();
    for (double ti : t) {
      assertThat(s.timeOfLambda(s.lambda(ti))).as("%s at t=%s", name, ti).isCloseTo(ti, within(1e-9));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void overridesAgreeWithTheGeneralFormulas(String name, Schedule s) {
    for (double t : interior(s, 31)) {
      double a = s.alpha(t);
      double sg = s.sigma(t);
      double f = s.alphaDot(t) / a;
      double g2 = 2 * (sg * s.sigmaDot(t) - sg * sg * s.alphaDot(t) / a);
      assertThat(s.lambda(t)).as("%s lambda", name).isCloseTo(Math.log(a / sg), within(1e-10));
      assertThat(s.f(t)).as("%s f", name).isCloseTo(f, within(1e-9 * Math.max(1, Math.abs(f))));
      assertThat(s.g2(t)).as("%s g2", name).isCloseTo(g2, within(1e-9 * Math.max(1, Math.abs(g2))));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void finiteAndRealisableEverywhere(String name, Schedule s) {
    int n = 4000;
    double previousLambda = Double.POSITIVE_INFINITY;
    for (int i = 0; i <= n; i++) {
      double t = s.tMin() + (s.tMax() - s.tMin()) * i / n;
      double[] values = {
        s.alpha(t), s.sigma(t), s.alphaDot(t), s.sigmaDot(t), s.lambda(t), s.f(t), s.g2(t), s.sigmaOverAlpha(t)
      };
      for (double v : values) {
        assertThat(Double.isFinite(v)).as("%s finite at t=%s", name, t).isTrue();
      }
      assertThat(s.alpha(t)).as("%s alpha > 0", name).isPositive();
      assertThat(s.sigma(t)).as("%s sigma > 0", name).isPositive();
      assertThat(s.g2(t)).as("%s g2 >= 0 at t=%s", name, t).isGreaterThanOrEqualTo(0.0);
      assertThat(s.lambda(t)).as("%s lambda decreasing at t=%s", name, t).isLessThan(previousLambda);
      previousLambda = s.lambda(t);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void closedFormInverseAgreesWithTheBisectionDefault(String name, Schedule s) {
    Schedule plain = new Schedule() { // α, σ and derivatives only: λ⁻¹ is the interface's bisection
      public double alpha(double t) { return s.alpha(t); }
      public double sigma(double t) { return s.sigma(t); }
      public double alphaDot(double t) { return s.alphaDot(t); }
      public double sigmaDot(double t) { return s.sigmaDot(t); }
      public double tMin() { return s.tMin(); }
      public double tMax() { return s.tMax(); }
    };
    for (double t : interior(s, 13)) {
      double lambda = s.lambda(t);
      assertThat(s.timeOfLambda(lambda)).as("%s at t=%s", name, t).isCloseTo(plain.timeOfLambda(lambda), within(1e-9));
    }
  }
}
