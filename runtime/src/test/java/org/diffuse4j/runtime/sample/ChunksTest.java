package org.diffuse4j.runtime.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The index arithmetic of {@link Chunks}: chunk k is rows [kB, (k+1)B), the last one zero-padded. */
class ChunksTest {
  @Test
  void chunksAreAlignedToTheGlobalIndexAndTheLastIsPadded() {
    Chunks c = new Chunks(4);
    assertThat(c.count(0)).isZero();
    assertThat(c.count(1)).isEqualTo(1);
    assertThat(c.count(8)).isEqualTo(2);
    assertThat(c.count(9)).isEqualTo(3);
    assertThat(c.first(3)).isEqualTo(12);
    assertThat(c.chunkAt(12)).isEqualTo(3);
    assertThat(c.rows(8, 9)).isEqualTo(1);
    assertThat(c.rows(0, 9)).isEqualTo(4);

    double[] data = new double[9 * 2]; // 9 rows of 2 values: row i = (i, −i)
    for (int i = 0; i < 9; i++) {
      data[2 * i] = i;
      data[2 * i + 1] = -i;
    }
    assertThat(c.padded(data, 2, 4, 9)).containsExactly(4, -4, 5, -5, 6, -6, 7, -7);
    assertThat(c.padded(data, 2, 8, 9)).containsExactly(8, -8, 0, 0, 0, 0, 0, 0);
    double[] all = new double[9 * 2];
    c.unpad(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 8, 9, all);
    assertThat(all[16]).isEqualTo(1);
    assertThat(all[17]).isEqualTo(2);
    assertThat(all[15]).isZero();
  }

  @Test
  void aRangeMustStartOnAChunkBoundary() {
    assertThatThrownBy(() -> new Chunks(4).chunkAt(6)).hasMessageContaining("multiple of the chunk size 4", "row 6");
    assertThatThrownBy(() -> new Chunks(0)).hasMessageContaining(">= 1");
  }
}
