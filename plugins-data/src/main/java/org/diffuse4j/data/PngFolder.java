package org.diffuse4j.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.diffuse4j.api.model.ArrayData;
import org.diffuse4j.api.plugin.OptionException;

/**
 * Loads the {@code png-folder} data set: every {@code .png} in a folder, all of one size, as rows
 * of H·W·C values in [−1, 1] (height, width, channel order; C = 1 when every image is grayscale,
 * else 3). When the images sit in subfolders, the subfolders (sorted by name) are the classes
 * 0 … K−1; PNGs directly in the folder are then not allowed.
 */
public final class PngFolder {
  private PngFolder() {}

  /** What was loaded: the rows, the image shape and the class names (empty when unlabelled). */
  public record Images(ArrayData data, int height, int width, int channels, List<String> classes) {}

  /** Reads the folder; a missing folder, no images or mixed sizes fail naming the path and the fix. */
  public static Images load(String folder) {
    Path dir = Path.of(folder);
    if (!Files.isDirectory(dir)) {
      throw new OptionException("data.path: folder not found: " + dir.toAbsolutePath()
          + "; set data.path to a folder of .png images (or of class subfolders of .png images)");
    }
    List<Path> top = pngs(dir);
    List<Path> subs = list(dir).stream().filter(Files::isDirectory).sorted().toList();
    List<Path> files = new ArrayList<>();
    List<Integer> labelList = new ArrayList<>();
    List<String> classes = new ArrayList<>();
    if (!subs.isEmpty()) {
      if (!top.isEmpty()) {
        throw new OptionException("data.path: " + dir.toAbsolutePath() + " has both class subfolders and images such as "
            + top.get(0).getFileName() + "; move every image into a class subfolder");
      }
      for (Path sub : subs) {
        List<Path> in = pngs(sub);
        if (in.isEmpty()) {
          continue;
        }
        classes.add(sub.getFileName().toString());
        for (Path p : in) {
          files.add(p);
          labelList.add(classes.size() - 1);
        }
      }
    } else {
      files.addAll(top);
    }
    if (files.isEmpty()) {
      throw new OptionException("data.path: no .png images in " + dir.toAbsolutePath());
    }
    List<BufferedImage> images = new ArrayList<>();
    boolean color = false;
    for (Path p : files) {
      BufferedImage img = readImage(p);
      BufferedImage first = images.isEmpty() ? img : images.get(0);
      if (img.getWidth() != first.getWidth() || img.getHeight() != first.getHeight()) {
        throw new OptionException("data.path: " + p + " is " + img.getWidth() + "×" + img.getHeight() + " but "
            + files.get(0) + " is " + first.getWidth() + "×" + first.getHeight() + "; all images must have one size");
      }
      color |= img.getColorModel().getNumColorComponents() > 1;
      images.add(img);
    }
    int h = images.get(0).getHeight();
    int w = images.get(0).getWidth();
    int c = color ? 3 : 1;
    double[] rows = new double[files.size() * h * w * c];
    int o = 0;
    for (BufferedImage img : images) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int rgb = img.getRGB(x, y);
          int r = (rgb >> 16) & 0xff;
          int g = (rgb >> 8) & 0xff;
          int b = rgb & 0xff;
          if (c == 1) {
            rows[o++] = gray(img, x, y) / 127.5 - 1;
          } else {
            rows[o++] = r / 127.5 - 1;
            rows[o++] = g / 127.5 - 1;
            rows[o++] = b / 127.5 - 1;
          }
        }
      }
    }
    int[] labels = classes.isEmpty() ? null : labelList.stream().mapToInt(Integer::intValue).toArray();
    return new Images(new ArrayData(rows, h * w * c, labels, dir.toString()), h, w, c, List.copyOf(classes));
  }

  /** The stored gray level (0 … 255) of a grayscale image, read from the raster rather than through sRGB. */
  private static int gray(BufferedImage img, int x, int y) {
    int v = img.getRaster().getSample(x, y, 0);
    int bits = img.getColorModel().getComponentSize(0);
    return bits == 8 ? v : (int) Math.round(v * 255.0 / ((1 << bits) - 1));
  }

  private static BufferedImage readImage(Path p) {
    try {
      BufferedImage img = ImageIO.read(p.toFile());
      if (img == null) {
        throw new OptionException("data.path: " + p + " is not a readable PNG image");
      }
      return img;
    } catch (IOException e) {
      throw new OptionException("data.path: cannot read " + p + ": " + e.getMessage());
    }
  }

  private static List<Path> pngs(Path dir) {
    return list(dir).stream().filter(p -> Files.isRegularFile(p)
        && p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")).sorted().toList();
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    } catch (IOException e) {
      throw new OptionException("data.path: cannot list " + dir.toAbsolutePath() + ": " + e.getMessage());
    }
  }
}
