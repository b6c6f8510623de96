package com.example.schedule;

import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.testkit.ScheduleConformance;
import org.diffuse4j.testkit.ScheduleConformance.End;
import org.junit.jupiter.api.Test;

/** The project's schedule kit, on the schedule as a manifest naming it would get it. */
class LinearSigmaVpKitTest {

  @Test
  void conforms() {
    PluginRegistry registry = PluginRegistry.discover(getClass().getClassLoader());
    Schedule s = registry.create(Kind.SCHEDULE, "linear-sigma-vp", "schedule");
    ScheduleConformance.assertConforms(s, End.DATA_AT_ZERO, End.NOISE_AT_ONE);
  }
}
