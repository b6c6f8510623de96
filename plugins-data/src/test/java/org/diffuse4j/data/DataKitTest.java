package org.diffuse4j.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.api.model.DataSet;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.testkit.DataConformance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data kit on every data plugin of this module, built through the registry as a manifest builds
 * them: the toy sets, the Gaussian mixture, Fashion-MNIST (both splits, from Debian's package as the
 * rest of the suite), and npy (plain, labelled, paired) and png-folder data written to a temporary folder.
 */
class DataKitTest {
  private static final PluginRegistry REGISTRY = PluginRegistry.discover(DataKitTest.class.getClassLoader());

  @TempDir Path dir;

  private static DataSet data(Map<String, Object> spec) {
    return REGISTRY.create(Kind.DATA, spec, "data");
  }

  @Test
  void generatedSets() {
    for (String name : new String[] {"two-moons", "8-gaussians", "checkerboard", "spirals", "gmm"}) {
      DataConformance.assertConforms(data(Map.of("name", name)), 256);
    }
  }

  @Test
  void fashionMnistBothSplits() {
    DataConformance.assertConforms(data(Map.of("name", "fashion-mnist")), 64);
    DataConformance.assertConforms(data(Map.of("name", "fashion-mnist", "split", "test")), 64);
  }

  @Test
  void npyPlainLabelledAndPaired() throws IOException {
    double[] rows = new double[40 * 3];
    double[] noise = new double[40 * 3];
    double[] labels = new double[40];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = Math.sin(i);
      noise[i] = Math.cos(i);
    }
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 4;
    }
    Path x = dir.resolve("x.npy");
    Path y = dir.resolve("y.npy");
    Path e = dir.resolve("e.npy");
    Npy.writeFloat64(x, rows, 40, 3);
    Npy.writeFloat64(y, labels, 40);
    Npy.writeFloat64(e, noise, 40, 3);
    DataConformance.assertConforms(data(Map.of("name", "npy", "path", x.toString())), 32);
    DataConformance.assertConforms(data(Map.of("name", "npy", "path", x.toString(), "labels", y.toString())), 32);
    DataConformance.assertConforms(data(Map.of("name", "npy", "path", x.toString(), "noise", e.toString())), 32);
  }

  @Test
  void pngFolderWithClassSubfolders() throws IOException {
    for (String c : new String[] {"cat", "dog"}) {
      Files.createDirectories(dir.resolve(c));
      for (int k = 0; k < 3; k++) {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(k, c.length() % 4, 0, 40 * k + 20);
        ImageIO.write(img, "png", dir.resolve(c).resolve(k + ".png").toFile());
      }
    }
    DataConformance.assertConforms(data(Map.of("name", "png-folder", "path", dir.toString())), 32);
  }
}
