package com.example.ssprk3;

import org.diffuse4j.testkit.SolverConformance;
import org.junit.jupiter.api.Test;

/** The project's conformance kit: order 3 on VP and rectified flow, NFE, no hidden state, batch independence. */
class Ssprk3ConformanceTest {

  @Test
  void conforms() {
    SolverConformance.assertConforms(new Ssprk3());
  }
}
