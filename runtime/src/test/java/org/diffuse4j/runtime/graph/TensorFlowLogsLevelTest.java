package org.diffuse4j.runtime.graph;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which level TensorFlow gets: the environment's when set, else verbose (0) or quiet (2). */
class TensorFlowLogsLevelTest {
  @Test
  void theEnvironmentWinsWhenItHoldsALevel() {
    assertThat(TensorFlowLogs.level("0", false)).isZero();
    assertThat(TensorFlowLogs.level("3", true)).isEqualTo(3);
    assertThat(TensorFlowLogs.level(" 1 ", false)).isEqualTo(1);
  }

  @Test
  void otherwiseVerboseShowsEverythingAndTheDefaultIsErrorsOnly() {
    assertThat(TensorFlowLogs.level(null, true)).isZero();
    assertThat(TensorFlowLogs.level(null, false)).isEqualTo(TensorFlowLogs.QUIET).isEqualTo(2);
    assertThat(TensorFlowLogs.level("loud", false)).isEqualTo(2);
    assertThat(TensorFlowLogs.level("7", true)).isZero();
  }
}
