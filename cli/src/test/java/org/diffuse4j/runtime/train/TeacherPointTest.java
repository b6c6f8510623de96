package org.diffuse4j.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.TrainingNetworks;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.runtime.TestRuns;
import org.diffuse4j.runtime.manifest.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The teacher's path coefficients the trainer feeds ({@link TrainingBatch#teacherPoint()}): at each
 * example's σ/α on the teacher's own schedule (a trigflow student, a rectified-flow teacher), with
 * α̇ and σ̇ of that schedule at that time; none without a teacher.
 */
class TeacherPointTest {
  @TempDir Path tmp;

  /**
   * Per example: (ln(σ_T/α_T) − ln(σ/α))² + (α̇_T + 1)² + (σ̇_T − 1)² + (α_T + σ_T − 1)², 0 exactly when
   * the point is rectified flow's (α = 1 − t, σ = t) at the student's σ/α; and the network's output
   * times 0, so that there is something to train.
   */
  static final class Probe implements Objective {
    @Override
    public double sampleTime(Schedule schedule, double u) {
      return 0.05 + 0.9 * u;
    }

    @Override
    public Set<Need> needs() {
      return Set.of(Need.TEACHER);
    }

    @Override
    public Tensor loss(TrainingBatch b, Network network, Parameterisation param) {
      throw new AssertionError("the trainer must call the loss with the teacher");
    }

    @Override
    public Tensor loss(TrainingBatch b, TrainingNetworks n, Parameterisation param) {
      PathPoint p = b.point();
      PathPoint q = b.teacherPoint();
      Tensor lambdaGap = q.sigma().div(q.alpha()).log().minus(p.sigma().div(p.alpha()).log()).square();
      Tensor rf = q.alphaDot().plus(1).square().plus(q.sigmaDot().minus(1).square())
          .plus(q.alpha().plus(q.sigma()).minus(1).square());
      Tensor zero = n.network().apply(b.xt(), p.t(), b.condition()).times(0).sumPerSample();
      return lambdaGap.plus(rf).reshape(-1).plus(zero);
    }
  }

  @Test
  void theTeacherIsReadAtEachExamplesSigmaOverAlphaOnItsOwnSchedule() throws Exception {
    Path teacher = TestRuns.tinyRun(tmp, "teacher");
    String yaml = TestRuns.tinyOnTrigFlow(1.0)
        .replace("objective: test-regression",
            "objective: {name: scd, sigma_data: 1.0, levels: 0}\nteacher: {run: " + teacher + "}")
        + "precision: float64\n";
    Manifest resolved = org.diffuse4j.runtime.manifest.ManifestLoader.resolve(
        org.diffuse4j.runtime.manifest.ManifestLoader.parse(yaml, "test"),
        org.diffuse4j.runtime.plugins.PluginDiscovery.discover((Path) null));
    assertThat(resolved.teacher()).isNotNull();
    Manifest m = new Manifest(resolved.resolved(), resolved.top(), resolved.training(), resolved.sampling(),
        resolved.output(), resolved.data(), resolved.network(), resolved.schedule(), resolved.parameterisation(),
        new Probe(), resolved.solver(), resolved.grid(), resolved.guidance(), resolved.teacher());
    try (Trainer trainer = new Trainer(m, 2)) {
      for (int k = 0; k < 3; k++) {
        assertThat(trainer.step(k)).as("step %d", k).isBetween(0.0, 1e-24);
      }
    }
  }
}
