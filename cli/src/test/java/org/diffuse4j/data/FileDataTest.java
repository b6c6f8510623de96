package org.diffuse4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.api.model.DataSet;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.runtime.TestRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The npy and png-folder data sets, on small files written here. */
class FileDataTest {
  @TempDir Path tmp;

  @Test
  void npyRowsAndLabelsStayTogetherAndDrawsAreCounterBased() throws Exception {
    double[] rows = new double[10 * 3];
    double[] labels = new double[10];
    for (int r = 0; r < 10; r++) {
      for (int c = 0; c < 3; c++) {
        rows[3 * r + c] = 100 * r + c;
      }
      labels[r] = r % 4;
    }
    Path x = tmp.resolve("x.npy");
    Path y = tmp.resolve("y.npy");
    Npy.writeFloat32(x, rows, 10, 3);
    Npy.writeFloat64(y, labels, 10);
    DataSet d = NpyData.load(x.toString(), y.toString());
    assertThat(d.dim()).isEqualTo(3);
    assertThat(d.classes()).isEqualTo(4);
    double[] s = d.sample(5, 0, 50);
    int[] l = d.labels(5, 0, 50);
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int i = 0; i < 50; i++) {
      int row = (int) Math.round(s[3 * i] / 100);
      assertThat(s[3 * i + 2]).isEqualTo(100 * row + 2);
      assertThat(l[i]).isEqualTo(row % 4);
      seen.add(row);
    }
    assertThat(seen.size()).isGreaterThan(7); // rows are drawn across the table
    assertThat(d.sample(5, 20, 10)).containsExactly(java.util.Arrays.copyOfRange(s, 60, 90)); // row i depends on i only
  }

  @Test
  void missingFilesAndBadShapesFailNamingThePathAndTheFix() throws Exception {
    Path nowhere = tmp.resolve("nowhere.npy");
    assertThatThrownBy(() -> NpyData.load(nowhere.toString(), "none")).isInstanceOf(OptionException.class)
        .hasMessageContaining("data.path").hasMessageContaining(nowhere.toString()).hasMessageContaining("np.save");
    Path x = tmp.resolve("x.npy");
    Npy.writeFloat32(x, new double[6], 6);
    assertThatThrownBy(() -> NpyData.load(x.toString(), "none")).hasMessageContaining("shape [6]").hasMessageContaining("N × D");
    Npy.writeFloat32(x, new double[6], 3, 2);
    assertThatThrownBy(() -> NpyData.load(x.toString(), tmp.resolve("l.npy").toString()))
        .hasMessageContaining("data.labels").hasMessageContaining("l.npy");
    assertThatThrownBy(() -> PngFolder.load(tmp.resolve("pics").toString())).isInstanceOf(OptionException.class)
        .hasMessageContaining("folder not found").hasMessageContaining("pics");
  }

  @Test
  void aNanInTheDataStopsTheRunNamingTheFileAndRowBeforeTraining() throws Exception {
    double[] rows = new double[20 * 2];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = Math.sin(i);
    }
    rows[2 * 13 + 1] = Double.NaN;
    Path x = tmp.resolve("bad.npy");
    Npy.writeFloat32(x, rows, 20, 2);
    Path m = TestRuns.manifest(tmp, TestRuns.TINY.replace("data: two-moons", "data: {name: npy, path: '" + x + "'}"));
    TestRuns.Call c = TestRuns.cli("run", m.toString(), "--out", tmp.resolve("run").toString());
    assertThat(c.code()).isNotZero();
    assertThat(c.err()).contains("bad.npy", "row 13", "NaN").doesNotContain("\tat ");
    assertThat(tmp.resolve("run/checkpoint")).doesNotExist();
  }

  @Test
  void pngFolderReadsGrayAndRgbImagesScaledToPlusMinusOneWithSubfolderClasses() throws Exception {
    Path gray = Files.createDirectories(tmp.resolve("gray"));
    BufferedImage g = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
    g.getRaster().setSample(0, 0, 0, 255);
    g.getRaster().setSample(2, 1, 0, 51);
    ImageIO.write(g, "png", gray.resolve("a.png").toFile());
    PngFolder.Images gi = PngFolder.load(gray.toString());
    assertThat(gi.channels()).isEqualTo(1);
    assertThat(gi.data().dim()).isEqualTo(6);
    assertThat(gi.data().classes()).isZero();
    double[] v = gi.data().sample(0, 0, 1);
    assertThat(v[0]).isEqualTo(1.0); // 255 → 1
    assertThat(v[1]).isEqualTo(-1.0); // 0 → −1
    assertThat(v[5]).isCloseTo(51 / 127.5 - 1, within(1e-12)); // row 1, column 2

    Path classes = tmp.resolve("classes");
    for (String name : new String[] {"cat", "dog"}) {
      Path sub = Files.createDirectories(classes.resolve(name));
      BufferedImage c = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
      c.setRGB(1, 0, name.equals("cat") ? 0xff0000 : 0x0000ff);
      ImageIO.write(c, "png", sub.resolve("x.png").toFile());
    }
    PngFolder.Images ci = PngFolder.load(classes.toString());
    assertThat(ci.classes()).containsExactly("cat", "dog");
    assertThat(ci.channels()).isEqualTo(3);
    double[] s = ci.data().sample(1, 0, 20);
    int[] l = ci.data().labels(1, 0, 20);
    for (int i = 0; i < 20; i++) {
      // pixel (x=1, y=0) is values 3..5: red for cat (label 0), blue for dog (label 1)
      assertThat(s[12 * i + 3]).isEqualTo(l[i] == 0 ? 1.0 : -1.0);
      assertThat(s[12 * i + 5]).isEqualTo(l[i] == 1 ? 1.0 : -1.0);
    }

    BufferedImage big = new BufferedImage(3, 3, BufferedImage.TYPE_INT_RGB);
    ImageIO.write(big, "png", classes.resolve("dog/big.png").toFile());
    assertThatThrownBy(() -> PngFolder.load(classes.toString())).hasMessageContaining("one size").hasMessageContaining("big.png");
  }
}
