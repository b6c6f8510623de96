package org.diffuse4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.api.model.DataSet;
import org.diffuse4j.api.plugin.OptionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code noise} option of the npy data set: paired rows stay together; bad files fail naming the fix. */
class PairedNpyTest {
  @TempDir Path tmp;

  private Path write(String name, double[] v, int... shape) throws Exception {
    Path p = tmp.resolve(name);
    Npy.writeFloat64(p, v, shape);
    return p;
  }

  @Test
  void noiseRowsFollowTheirDataRows() throws Exception {
    double[] x = new double[8 * 2];
    double[] e = new double[8 * 2];
    for (int r = 0; r < 8; r++) {
      x[2 * r] = r;
      x[2 * r + 1] = -r;
      e[2 * r] = 100 + r;
      e[2 * r + 1] = 200 + r;
    }
    DataSet d = NpyData.load(write("x0.npy", x, 8, 2).toString(), "none", write("noise.npy", e, 8, 2).toString());
    assertThat(d.paired()).isTrue();
    double[] s = d.sample(3, 5, 40);
    double[] n = d.noise(3, 5, 40);
    for (int i = 0; i < 40; i++) {
      int row = (int) s[2 * i];
      assertThat(n[2 * i]).isEqualTo(100 + row);
      assertThat(n[2 * i + 1]).isEqualTo(200 + row);
    }
    assertThat(NpyData.load(tmp.resolve("x0.npy").toString(), "none").paired()).isFalse();
  }

  @Test
  void aMissingOrMisshapedNoiseFileFailsNamingBothFilesAndTheFix() throws Exception {
    Path x = write("x0.npy", new double[12], 6, 2);
    Path missing = tmp.resolve("nowhere.npy");
    assertThatThrownBy(() -> NpyData.load(x.toString(), "none", missing.toString())).isInstanceOf(OptionException.class)
        .hasMessageContaining("data.noise").hasMessageContaining("nowhere.npy").hasMessageContaining("set data.noise");
    assertThatThrownBy(() -> NpyData.load(missing.toString(), "none", x.toString())).isInstanceOf(OptionException.class)
        .hasMessageContaining("data.path").hasMessageContaining("nowhere.npy").hasMessageContaining("./diffuse4j reflow RUN_DIR");
    Path fewer = write("fewer.npy", new double[10], 5, 2);
    assertThatThrownBy(() -> NpyData.load(x.toString(), "none", fewer.toString())).isInstanceOf(OptionException.class)
        .hasMessageContaining("data.noise").hasMessageContaining("fewer.npy").hasMessageContaining("[5, 2]")
        .hasMessageContaining("x0.npy").hasMessageContaining("[6, 2]").hasMessageContaining("diffuse4j reflow");
    Path wider = write("wider.npy", new double[18], 6, 3);
    assertThatThrownBy(() -> NpyData.load(x.toString(), "none", wider.toString())).hasMessageContaining("[6, 3]");
    double[] bad = new double[12];
    bad[7] = Double.NaN;
    Path nan = write("nan.npy", bad, 6, 2);
    assertThatThrownBy(() -> NpyData.load(x.toString(), "none", nan.toString())).isInstanceOf(OptionException.class)
        .hasMessageContaining("nan.npy").hasMessageContaining("row 3, column 1");
  }
}
