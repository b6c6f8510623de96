package org.diffuse4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.diffuse4j.api.model.DataSet;
import org.diffuse4j.api.model.SplitDataSet;

/**
 * The laws every {@code data} plugin keeps ({@link DataSet}): rows of the declared width, finite;
 * row i of a draw a function of (seed, i) only, so {@code sample(seed, first, n)} is the slice
 * [first, first + n) of any longer draw (training batches and the engine's index-aligned chunks rely
 * on it), the same for labels and paired noise rows; another seed gives other rows; labels in
 * 0 … classes−1 and a name for each class; and for a {@link SplitDataSet}, both splits readable by
 * index. Each failure names the method to fix.
 */
public final class DataConformance {
  private DataConformance() {}

  /** Every law, on draws of {@code n} rows (at least 8; a few hundred covers every class of small sets). */
  public static void assertConforms(DataSet data, int n) {
    int dim = data.dim();
    assertThat(dim).as("dim() of a data set: values per row, at least 1").isGreaterThan(0);
    int rows = Math.max(8, n);
    double[] all = data.sample(42, 0, rows);
    assertThat(all).as("sample(seed, 0, %d).length: %d rows of dim() = %d values", rows, rows, dim).hasSize(rows * dim);
    for (int i = 0; i < all.length; i++) {
      assertThat(Double.isFinite(all[i])).as("value %d of sample(42, 0, %d) is %s: data must be finite", i, rows, all[i]).isTrue();
    }
    assertThat(data.sample(42, 0, rows)).as("two draws sample(42, 0, %d): rows must be a function of (seed, index) only", rows)
        .containsExactly(all);
    int first = rows / 2 - 1;
    int count = rows / 2;
    assertThat(data.sample(42, first, count)).as("sample(42, %d, %d) vs rows %d..%d of sample(42, 0, %d): row i must depend on "
        + "(seed, first + i) only, not on where the draw starts", first, count, first, first + count - 1, rows)
        .containsExactly(Arrays.copyOfRange(all, first * dim, (first + count) * dim));
    assertThat(data.sample(43, 0, rows)).as("sample with seeds 42 and 43: the seed must change the draw").isNotEqualTo(all);
    if (data.classes() > 0) {
      int[] labels = data.labels(42, 0, rows);
      assertThat(labels).as("labels(42, 0, %d).length", rows).hasSize(rows);
      for (int l : labels) {
        assertThat(l).as("a label of labels(42, 0, %d): labels run 0 … classes() − 1 = %d", rows, data.classes() - 1)
            .isBetween(0, data.classes() - 1);
      }
      assertThat(data.labels(42, first, count)).as("labels(42, %d, %d) vs the same rows of labels(42, 0, %d): labels must "
          + "follow the rows of sample()", first, count, rows).containsExactly(Arrays.copyOfRange(labels, first, first + count));
      for (int k = 0; k < data.classes(); k++) {
        assertThat(data.className(k)).as("className(%d)", k).isNotBlank();
      }
    } else {
      assertThatThrownBy(() -> data.labels(42, 0, 1)).as("labels() of a data set with classes() = 0 must refuse")
          .isInstanceOf(UnsupportedOperationException.class);
    }
    if (data.paired()) {
      double[] noise = data.noise(42, 0, rows);
      assertThat(noise).as("noise(42, 0, %d).length of paired data: one noise row per data row", rows).hasSize(rows * dim);
      assertThat(data.noise(42, first, count)).as("noise(42, %d, %d) vs the same rows of noise(42, 0, %d): paired noise "
          + "must follow the rows of sample()", first, count, rows)
          .containsExactly(Arrays.copyOfRange(noise, first * dim, (first + count) * dim));
    }
    if (data instanceof SplitDataSet split) {
      for (boolean train : new boolean[] {true, false}) {
        int size = split.count(train);
        assertThat(size).as("count(%s) of a split data set", train).isGreaterThan(0);
        double[] row = new double[dim];
        for (int index : new int[] {0, size - 1}) {
          split.copyRow(train, index, row, 0);
          for (double v : row) {
            assertThat(Double.isFinite(v)).as("copyRow(%s, %d): values must be finite", train, index).isTrue();
          }
          assertThat(split.label(train, index)).as("label(%s, %d)", train, index).isBetween(0, Math.max(0, data.classes() - 1));
        }
      }
    }
  }
}
