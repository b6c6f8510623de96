package org.diffuse4j.guidance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.diffuse4j.guidance.Mixture.GM;

import java.util.concurrent.atomic.AtomicInteger;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.schedules.RectifiedFlow;
import org.junit.jupiter.api.Test;

/**
 * {@code distilled} hands its scale to the network in the condition and calls it once: on an exact
 * guidance-distilled student of the analytic mixture (one that forms x̂_u + w (x̂_c − x̂_u) from the
 * w it is given), it equals {@code cfg} at the same scale, at half the evaluations.
 */
class DistilledTest {
  @Test
  void equalsCfgAtTheSameScaleWithOneEvaluation() {
    Schedule rf = new RectifiedFlow();
    ConditionalDenoiser exact = GM.denoiser(rf);
    AtomicInteger calls = new AtomicInteger();
    // the perfect student: reads w from the condition and combines the mixture's two predictions
    ConditionalDenoiser student = (x, p, c) -> {
      calls.incrementAndGet();
      Prediction u = exact.predict(x, p, Condition.none());
      Prediction k = exact.predict(x, p, Condition.of(c.labels()));
      return Guided.lerp(u, k, c.scale());
    };
    try (GraphRun r = new GraphRun()) {
      Denoiser d = new Distilled(3).guide(student, Mixture.labels(r.b));
      Denoiser cfg = ClassifierFree.of(3).guide(exact, Mixture.labels(r.b));
      PathPoint p = PathPoint.at(rf, 0.6, r.b);
      double[] got = r.eval(d.predict(Mixture.x(r.b), p).x0());
      double[] want = r.eval(cfg.predict(Mixture.x(r.b), p).x0());
      assertThat(calls.get()).isEqualTo(1);
      assertThat(d.evaluationsPerCall()).isEqualTo(1);
      assertThat(cfg.evaluationsPerCall()).isEqualTo(2);
      assertThat(got).hasSameSizeAs(want);
      for (int i = 0; i < got.length; i++) {
        assertThat(got[i]).isCloseTo(want[i], within(1e-12));
      }
      assertThat(new Distilled(3).feedsGuidanceScale()).isTrue();
      assertThat(ClassifierFree.of(3).feedsGuidanceScale()).isFalse();
    }
  }
}
