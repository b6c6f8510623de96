package org.diffuse4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CounterNoiseTest {

  @Test
  void rowsDoNotDependOnBatching() {
    double[] whole = CounterNoise.gaussian(7, 0, 10, 3, 4);
    double[] tail = CounterNoise.gaussian(7, 6, 4, 3, 4);
    for (int i = 0; i < tail.length; i++) {
      assertThat(tail[i]).isEqualTo(whole[18 + i]);
    }
  }

  @Test
  void momentsAreStandardNormal() {
    int n = 200_000;
    double[] z = CounterNoise.gaussian(1, 0, n, 1, 0);
    double m = 0, v = 0, k = 0;
    for (double x : z) {
      m += x;
    }
    m /= n;
    for (double x : z) {
      v += (x - m) * (x - m);
      k += Math.pow(x - m, 4);
    }
    v /= n;
    k /= n;
    // Standard errors: mean 1/sqrt(n)=0.0022, variance sqrt(2/n)=0.0032, fourth moment sqrt(96/n)=0.022.
    assertThat(m).isCloseTo(0, within(0.01));
    assertThat(v).isCloseTo(1, within(0.015));
    assertThat(k).isCloseTo(3, within(0.1));
  }

  @Test
  void streamsAndSeedsDiffer() {
    assertThat(CounterNoise.gaussian(1, 0, 0, 0)).isNotEqualTo(CounterNoise.gaussian(1, 0, 1, 0));
    assertThat(CounterNoise.gaussian(1, 0, 0, 0)).isNotEqualTo(CounterNoise.gaussian(2, 0, 0, 0));
    assertThat(CounterNoise.gaussian(1, 0, 0, 0)).isNotEqualTo(CounterNoise.gaussian(1, 1, 0, 0));
  }
}
