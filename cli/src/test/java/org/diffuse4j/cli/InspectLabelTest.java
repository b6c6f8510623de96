package org.diffuse4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InspectLabelTest {
  @Test
  void legendLabelsShowTheScheduleOptions() {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("name", "vp");
    spec.put("beta_max", 10);
    assertThat(InspectCommand.label(spec)).isEqualTo("vp beta_max=10");
    assertThat(InspectCommand.label(InspectCommand.spec("vp", List.of("beta_max=10")))).isEqualTo("vp beta_max=10");
    assertThat(InspectCommand.label(InspectCommand.spec("{name: vp, beta_min: 0.2, beta_max: 5}", List.of())))
        .isEqualTo("vp beta_min=0.2 beta_max=5");
    assertThat(InspectCommand.label(InspectCommand.spec("rectified-flow", List.of()))).isEqualTo("rectified-flow");
  }
}
