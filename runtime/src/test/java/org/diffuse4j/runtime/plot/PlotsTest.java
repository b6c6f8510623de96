package org.diffuse4j.runtime.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
  @TempDir Path dir;

  @Test
  void scatterDrawsSamplesAndReferenceWhereTheyAre() throws IOException {
    Random rnd = new Random(1);
    double[] reference = cluster(rnd, 2000, -2, -2);
    double[] samples = cluster(rnd, 2000, 2, 2);
    Path png = dir.resolve("samples.png");
    Plots.scatter(png, "two clusters", reference, samples);
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(760);
    assertThat(img.getHeight()).isEqualTo(840);
    assertThat(Files.readString(Plots.svgBeside(png))).startsWith("<?xml").contains("<svg").contains("viewBox=\"0 0 760 840\"");
    // Samples (blue) are up and right, reference (grey) down and left; equal axes put the two
    // clusters symmetrically about the centre.
    int[] blue = count(img, PlotsTest::isBlue);
    int[] grey = count(img, PlotsTest::isGrey);
    assertThat(blue[0]).as("blue pixels in the upper-right quadrant").isGreaterThan(2000);
    assertThat(blue[1]).as("blue pixels in the lower-left quadrant").isZero();
    assertThat(grey[1]).as("grey pixels in the lower-left quadrant").isGreaterThan(2000);
    assertThat(grey[0]).as("grey pixels in the upper-right quadrant").isLessThan(grey[1] / 10);
    assertThat(darkPixels(img, 0, 0, 760, 50)).as("title").isGreaterThan(50);
    assertThat(darkPixels(img, 0, 750, 760, 800)).as("x tick labels and axis label").isGreaterThan(100);
    assertThat(darkPixels(img, 0, 100, 70, 700)).as("y tick labels and axis label").isGreaterThan(100);
    assertThat(darkPixels(img, 0, 800, 760, 840)).as("legend below the plot").isGreaterThan(100);
  }

  @Test
  void scatterSurvivesOutliersNaNsAndNoReference() throws IOException {
    double[] samples = cluster(new Random(2), 1000, 0, 0);
    samples[0] = 1e9;
    samples[3] = Double.NaN;
    Path png = dir.resolve("outliers.png");
    Plots.scatter(png, "outliers", new double[0], samples);
    BufferedImage img = ImageIO.read(png.toFile());
    // The single outlier must not squash the cloud into a dot: blue spreads over many pixels.
    int[] blue = count(img, PlotsTest::isBlue);
    assertThat(blue[0] + blue[1] + blue[2]).isGreaterThan(5000);
  }

  @Test
  void linesDrawEverySeriesInItsOwnColour() throws IOException {
    double[] steps = new double[100];
    double[] loss = new double[100];
    double[] ema = new double[100];
    for (int i = 0; i < 100; i++) {
      steps[i] = i + 1;
      loss[i] = 1 / Math.sqrt(i + 1) + 0.05 * Math.sin(i);
      ema[i] = 1 / Math.sqrt(i + 1);
    }
    loss[50] = Double.NaN; // breaks the line, must not break the plot
    Path png = dir.resolve("loss.png");
    Plots.lines(png, "training loss", "step", "loss", true, true,
        List.of(new Plots.Series("loss", steps, loss), new Plots.Series("moving average", steps, ema)));
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(960);
    assertThat(img.getHeight()).isEqualTo(640);
    assertThat(countColour(img, 0x1f77b4)).as("first series, tab:blue").isGreaterThan(300);
    assertThat(countColour(img, 0xff7f0e)).as("second series, tab:orange").isGreaterThan(300);
    assertThat(Plots.svgBeside(png)).exists();
  }

  @Test
  void logAxesSayLogScaleAndLabelEnoughTicks() throws IOException {
    // A loss between 0.28 and 0.8 spans less than half a decade: decade-only labels would show none.
    int n = 2000;
    double[] steps = new double[n];
    double[] loss = new double[n];
    for (int i = 0; i < n; i++) {
      steps[i] = i + 1;
      loss[i] = 0.28 + 0.52 / Math.sqrt(i + 1);
    }
    List<Plots.Series> series = List.of(new Plots.Series("loss", steps, loss));
    XYChart chart = Plots.lineChart("training loss", "step", "loss", false, true, series);
    assertThat(chart.getYAxisTitle()).isEqualTo("loss (log scale)");
    assertThat(chart.getXAxisTitle()).isEqualTo("step");
    assertThat(chart.getStyler().isYAxisLogarithmic()).isTrue();
    Path png = dir.resolve("loss.png");
    Plots.lines(png, "training loss", "step", "loss", false, true, series);
    BufferedImage img = ImageIO.read(png.toFile());
    // y tick labels are the text between the rotated axis title and the plot frame: count the
    // separate bands of rows that hold dark pixels there.
    assertThat(textBands(img, 34, 66, 40, 590)).as("y tick labels").isGreaterThanOrEqualTo(4);
    // x ticks on round values: labels under the plot, at least 5 of them
    assertThat(textColumns(img, 60, 900, 585, 602)).as("x tick labels").isGreaterThanOrEqualTo(5);
    // labels at 2 and 5 times a power of ten once the data spans two decades or more, every one below
    assertThat(Plots.logLabels(0.28, 0.8).apply(0.7)).isEqualTo("0.7");
    assertThat(Plots.logLabels(1e-4, 1).apply(0.07)).isEmpty();
    assertThat(Plots.logLabels(1e-4, 1).apply(0.05)).isEqualTo("0.05");
    assertThat(Plots.logLabels(1e-6, 1).apply(2e-6)).isEqualTo("2e-6");
  }

  @Test
  void shortSeriesMarkTheirPointsAndStylesAreKept() {
    double[] nfe = {2, 4, 8, 16, 32};
    double[] err = {0.5, 0.25, 0.12, 0.06, 0.03};
    double[] t = new double[400];
    double[] y = new double[400];
    for (int i = 0; i < 400; i++) {
      t[i] = i / 399.0;
      y[i] = 1 - t[i];
    }
    XYChart chart = Plots.lineChart("sweep", "NFE", "error", true, true, List.of(
        new Plots.Series("euler", nfe, err), new Plots.Series("curve", t.clone(), y),
        new Plots.Series("vp: σ", t, y, 0, true)));
    XYSeries euler = chart.getSeries("euler");
    XYSeries curve = chart.getSeries("curve");
    XYSeries sigma = chart.getSeries("vp: σ");
    assertThat(euler.getMarker()).as("5 points are marked").isNotSameAs(SeriesMarkers.NONE).isNotNull();
    assertThat(curve.getMarker()).as("a 400-point curve is not").isSameAs(SeriesMarkers.NONE);
    assertThat(euler.getLineColor()).isEqualTo(new Color(0x1f77b4));
    assertThat(curve.getLineColor()).isEqualTo(new Color(0xff7f0e));
    assertThat(sigma.getLineColor()).as("explicit colour index 0").isEqualTo(new Color(0x1f77b4));
    assertThat(sigma.getLineStyle().getDashArray()).as("dashed").isNotNull();
    assertThat(euler.getLineStyle().getDashArray()).as("solid").isNull();
  }

  @Test
  void tickLabelsAreShort() {
    assertThat(Plots.label(0.25)).isEqualTo("0.25");
    assertThat(Plots.label(3.0)).isEqualTo("3");
    assertThat(Plots.label(1200.0)).isEqualTo("1200");
    assertThat(Plots.label(1e-5)).isEqualTo("1e-5");
    assertThat(Plots.label(2.5e6)).isEqualTo("2.5e6");
    assertThat(Plots.label(-0.1 + 0.3)).isEqualTo("0.2");
    assertThat(Plots.niceStep(0.7)).isEqualTo(1.0);
    assertThat(Plots.niceStep(130)).isEqualTo(200.0);
    assertThat(Plots.niceStep(3.0)).isEqualTo(5.0);
  }

  @Test
  void linesHandleEmptyAndDegenerateInput() throws IOException {
    Plots.lines(dir.resolve("empty.png"), "nothing", "x", "y", false, false, List.of());
    Plots.lines(dir.resolve("flat.png"), "flat", "x", "y", false, true,
        List.of(new Plots.Series("c", new double[] {1, 2, 3}, new double[] {5, 5, 5})));
    Plots.lines(dir.resolve("negative.png"), "log of negatives", "x", "y", true, true,
        List.of(new Plots.Series("c", new double[] {-1, 0}, new double[] {-1, 0})));
    assertThat(ImageIO.read(dir.resolve("flat.png").toFile()).getWidth()).isEqualTo(960);
    assertThat(ImageIO.read(dir.resolve("negative.png").toFile()).getWidth()).isEqualTo(960);
    assertThat(ImageIO.read(dir.resolve("empty.png").toFile()).getWidth()).isEqualTo(960);
    assertThatThrownBy(() -> Plots.lines(dir.resolve("bad.png"), "t", "x", "y", false, false,
        List.of(new Plots.Series("c", new double[2], new double[3]))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'c'");
  }

  @Test
  void imageGridMapsValuesToGreyLevelsInTheRightCells() throws IOException {
    int n = 6;
    int h = 8;
    int w = 8;
    double[] images = new double[n * h * w];
    double[] levels = {1, -1, 0, 0.5, -0.5, 2}; // 2 is clamped to white
    for (int k = 0; k < n; k++) {
      Arrays.fill(images, k * h * w, (k + 1) * h * w, levels[k]);
    }
    Path png = dir.resolve("grid.png");
    Plots.imageGrid(png, images, n, h, w, 1, 3, null);
    BufferedImage img = ImageIO.read(png.toFile());
    // zoom 12 -> 96 px cells, 4 px gaps, 8 px margins.
    assertThat(img.getWidth()).isEqualTo(8 + 3 * 96 + 2 * 4 + 8);
    assertThat(img.getHeight()).isEqualTo(8 + 2 * 96 + 4 + 8);
    int[] expected = {255, 0, 128, 191, 64, 255};
    for (int k = 0; k < n; k++) {
      int cx = 8 + (k % 3) * 100 + 48;
      int cy = 8 + (k / 3) * 100 + 48;
      assertThat(img.getRGB(cx, cy) & 0xFFFFFF).as("image %d", k)
          .isEqualTo(expected[k] * 0x010101);
    }
  }

  @Test
  void imageGridShowsColourAndRowLabels() throws IOException {
    int h = 28;
    int w = 28;
    double[] images = new double[4 * h * w * 3];
    for (int p = 0; p < 4 * h * w; p++) {
      int k = p / (h * w);
      images[3 * p] = k == 0 ? 1 : -1; // image 0 red, image 1 green, others blue
      images[3 * p + 1] = k == 1 ? 1 : -1;
      images[3 * p + 2] = k >= 2 ? 1 : -1;
    }
    Path png = dir.resolve("rgb.png");
    Plots.imageGrid(png, images, 4, h, w, 3, 2, List.of("class 0", "class 1"));
    BufferedImage img = ImageIO.read(png.toFile());
    int cell = 84; // zoom 3
    assertThat(img.getHeight()).isEqualTo(8 + 2 * cell + 4 + 8);
    int labelWidth = img.getWidth() - (8 + 2 * cell + 4 + 8);
    assertThat(labelWidth).isGreaterThan(40);
    int x0 = 8 + labelWidth;
    assertThat(img.getRGB(x0 + 40, 8 + 40) & 0xFFFFFF).isEqualTo(0xFF0000);
    assertThat(img.getRGB(x0 + cell + 4 + 40, 8 + 40) & 0xFFFFFF).isEqualTo(0x00FF00);
    assertThat(img.getRGB(x0 + 40, 8 + cell + 4 + 40) & 0xFFFFFF).isEqualTo(0x0000FF);
    assertThat(darkPixels(img, 0, 0, labelWidth, img.getHeight())).as("row labels").isGreaterThan(40);
  }

  @Test
  void imageGridRejectsInconsistentSizes() {
    assertThatThrownBy(() -> Plots.imageGrid(dir.resolve("x.png"), new double[10], 2, 2, 2, 1, 2, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Plots.imageGrid(dir.resolve("x.png"), new double[16], 2, 2, 2, 2, 2, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- helpers ----

  private static double[] cluster(Random rnd, int n, double cx, double cy) {
    double[] xy = new double[2 * n];
    for (int i = 0; i < n; i++) {
      xy[2 * i] = cx + 0.5 * rnd.nextGaussian();
      xy[2 * i + 1] = cy + 0.5 * rnd.nextGaussian();
    }
    return xy;
  }

  private interface PixelTest {
    boolean test(int rgb);
  }

  private static boolean isBlue(int rgb) {
    int r = (rgb >> 16) & 255;
    int b = rgb & 255;
    return b - r > 60;
  }

  private static boolean isGrey(int rgb) {
    int r = (rgb >> 16) & 255;
    int g = (rgb >> 8) & 255;
    int b = rgb & 255;
    return Math.abs(r - g) < 6 && Math.abs(g - b) < 6 && r < 235 && r > 120;
  }

  /** {upper-right quadrant, lower-left quadrant, elsewhere} counts of matching pixels. */
  private static int[] count(BufferedImage img, PixelTest test) {
    int[] out = new int[3];
    int cx = img.getWidth() / 2;
    int cy = img.getHeight() / 2;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if (test.test(img.getRGB(x, y) & 0xFFFFFF)) {
          out[x > cx && y < cy ? 0 : x < cx && y > cy ? 1 : 2]++;
        }
      }
    }
    return out;
  }

  private static int countColour(BufferedImage img, int rgb) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
          n++;
        }
      }
    }
    return n;
  }

  /** Separate runs of rows in [y0, y1) that hold a dark pixel in columns [x0, x1). */
  private static int textBands(BufferedImage img, int x0, int x1, int y0, int y1) {
    int bands = 0;
    boolean inside = false;
    for (int y = y0; y < y1; y++) {
      boolean dark = darkPixels(img, x0, y, x1, y + 1) > 0;
      if (dark && !inside) {
        bands++;
      }
      inside = dark;
    }
    return bands;
  }

  /** Separate runs of columns (gaps of 8 px or more) in [x0, x1) holding a dark pixel in rows [y0, y1). */
  private static int textColumns(BufferedImage img, int x0, int x1, int y0, int y1) {
    int runs = 0;
    int gap = 99;
    for (int x = x0; x < x1; x++) {
      if (darkPixels(img, x, y0, x + 1, y1) > 0) {
        if (gap >= 8) {
          runs++;
        }
        gap = 0;
      } else {
        gap++;
      }
    }
    return runs;
  }

  private static int darkPixels(BufferedImage img, int x0, int y0, int x1, int y1) {
    int n = 0;
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        int rgb = img.getRGB(x, y);
        if (((rgb >> 16) & 255) < 100 && ((rgb >> 8) & 255) < 100 && (rgb & 255) < 100) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void logAxesEndOnTheTicksAroundTheData() {
    // a loss between 1.231 and 2.113 gets the axis 1…3 (ticks 1, 2, 3), not the raw data range
    assertThat(Plots.mantissaFloor(1.231)).isEqualTo(1.0);
    assertThat(Plots.mantissaCeil(2.113)).isEqualTo(3.0);
    assertThat(Plots.mantissaFloor(0.0234)).isCloseTo(0.02, org.assertj.core.data.Offset.offset(1e-15));
    assertThat(Plots.mantissaCeil(0.0234)).isCloseTo(0.03, org.assertj.core.data.Offset.offset(1e-15));
    assertThat(Plots.mantissaFloor(3.0)).isEqualTo(3.0);
    assertThat(Plots.mantissaCeil(3.0)).isEqualTo(3.0);
    assertThat(Plots.mantissaCeil(9.5)).isEqualTo(10.0);
  }
}
