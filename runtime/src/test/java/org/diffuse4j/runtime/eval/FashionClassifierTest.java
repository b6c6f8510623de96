package org.diffuse4j.runtime.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.diffuse4j.data.FashionMnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionClassifierTest {
  @Test
  void tinyTrainingRisesAboveChanceAndSurvivesSaveRestore(@TempDir Path dir) {
    FashionMnist data = FashionMnist.loadDefault();
    int n = 300;
    double[] x = data.sample(11, 0, n);
    int[] y = data.labels(11, 0, n);
    int batch = 50;
    FashionClassifier.Output trained;
    try (FashionClassifier net = new FashionClassifier(1)) {
      double before = FashionClassifier.accuracy(net.predict(x, n, 100).classes(), y);
      double firstLoss = Double.NaN;
      double lastLoss = Double.NaN;
      for (int step = 0; step < 60; step++) {
        int from = (step * batch) % n;
        double[] bx = new double[batch * FashionClassifier.PIXELS];
        int[] by = new int[batch];
        System.arraycopy(x, from * FashionClassifier.PIXELS, bx, 0, bx.length);
        System.arraycopy(y, from, by, 0, batch);
        lastLoss = net.trainStep(bx, by, batch, 1e-3);
        if (step == 0) {
          firstLoss = lastLoss;
        }
      }
      trained = net.predict(x, n, 100);
      double after = FashionClassifier.accuracy(trained.classes(), y);
      assertThat(lastLoss).isLessThan(firstLoss);
      assertThat(after).isGreaterThan(0.5).isGreaterThan(before);
      assertThat(trained.features()).hasSize(n * FashionClassifier.FEATURES);
      net.save(dir);
    }
    try (FashionClassifier restored = FashionClassifier.restore(dir)) {
      // the same chunk size in a new graph and session: bitwise the same
      FashionClassifier.Output again = restored.predict(x, n, 100);
      assertThat(again.classes()).containsExactly(trained.classes());
      assertThat(again.features()).containsExactly(trained.features());
      // another chunk size: the same up to float rounding (bitwise with AVX-512; up to 1.9e-6 with
      // oneDNN limited to AVX2, ReproducibilityTest); 1e-4 is 50× that, far below what other weights give
      FashionClassifier.Output rechunked = restored.predict(x, n, 64);
      assertThat(rechunked.features()).containsExactly(trained.features(), within(1e-4));
    }
  }
}
