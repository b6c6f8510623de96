package org.diffuse4j.runtime.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Headless PNG plots with java.awt (set java.awt.headless).
 *
 * <p>All files are written atomically. Non-finite values are skipped in scatter and line plots
 * (and non-positive ones on log axes); in image grids they are shown as red pixels.
 */
public final class Plots {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Plots() {}

  /** One named line: y[i] against x[i]. */
  public record Series(String name, double[] x, double[] y) {}

  private static final Color REFERENCE = new Color(150, 150, 150, 110);
  private static final Color SAMPLES = new Color(31, 119, 180, 150);
  private static final Color FRAME = new Color(170, 170, 170);
  /** The fraction of samples allowed to fall outside the view on each side (outliers). */
  private static final double OUTLIER_QUANTILE = 0.005;

  /**
   * Scatter of 2-D samples (row-major n×2) in one colour over reference data in grey, equal axes,
   * title and legend. The view covers all reference points and all but the 0.5% most extreme
   * samples on each side (so a few diverged samples do not squash the plot); the legend counts
   * the samples outside the view. {@code reference} may be empty.
   */
  public static void scatter(Path png, String title, double[] reference, double[] samples)
      throws IOException {
    double[] ref = reference == null ? new double[0] : reference;
    if (ref.length % 2 != 0 || samples.length % 2 != 0) {
      throw new IllegalArgumentException("scatter needs row-major n×2 arrays, got lengths "
          + ref.length + " and " + samples.length);
    }
    double[] box = viewBox(ref, samples);
    double cx = (box[0] + box[1]) / 2;
    double cy = (box[2] + box[3]) / 2;
    double half = 1.08 * Math.max(box[1] - box[0], box[3] - box[2]) / 2;
    Scale xs = Scale.exact(cx - half, cx + half);
    Scale ys = Scale.exact(cy - half, cy + half);
    int n = samples.length / 2;
    int nRef = ref.length / 2;
    int outside = 0;
    for (int i = 0; i < n; i++) {
      double x = samples[2 * i];
      double y = samples[2 * i + 1];
      if (!(x >= xs.min && x <= xs.max && y >= ys.min && y <= ys.max)) { // also true for NaN
        outside++;
      }
    }
    List<Chart.LegendEntry> legend = new ArrayList<>();
    if (nRef > 0) {
      legend.add(new Chart.LegendEntry("data (" + nRef + ")", REFERENCE.darker(), false));
    }
    String label = "samples (" + n + (outside > 0 ? ", " + outside + " outside view)" : ")");
    legend.add(new Chart.LegendEntry(label, SAMPLES, false));

    double radius = Math.max(n, nRef) > 5000 ? 1.6 : 2.4;
    Chart chart = Chart.withLegend(legend, legendWidth -> {
      Chart c = new Chart(800 + legendWidth, 800, xs, ys, true, legendWidth);
      c.drawGrid();
      c.clipToArea(true);
      drawPoints(c, ref, REFERENCE, radius);
      drawPoints(c, samples, SAMPLES, radius);
      c.drawAxes(title, "x1", "x2");
      return c;
    });
    chart.save(png);
  }

  /**
   * Line plot of several series with axes, ticks, labels and a legend; optional log-scale axes.
   * Points that cannot be drawn (NaN, or ≤ 0 on a log axis) break the line.
   */
  public static void lines(Path png, String title, String xLabel, String yLabel, boolean logX,
      boolean logY, List<Series> series) throws IOException {
    double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    Scale probeX = Scale.of(1, 10, logX); // only used for accepts()
    Scale probeY = Scale.of(1, 10, logY);
    for (Series s : series) {
      if (s.x().length != s.y().length) {
        throw new IllegalArgumentException("series '" + s.name() + "' has " + s.x().length
            + " x values but " + s.y().length + " y values");
      }
      for (int i = 0; i < s.x().length; i++) {
        if (probeX.accepts(s.x()[i]) && probeY.accepts(s.y()[i])) {
          range[0] = Math.min(range[0], s.x()[i]);
          range[1] = Math.max(range[1], s.x()[i]);
          range[2] = Math.min(range[2], s.y()[i]);
          range[3] = Math.max(range[3], s.y()[i]);
        }
      }
    }
    boolean empty = range[0] > range[1];
    if (empty) {
      range = new double[] {1, 10, 1, 10};
    }
    Scale xs = Scale.of(range[0], range[1], logX);
    Scale ys = Scale.of(range[2], range[3], logY);
    List<Chart.LegendEntry> legend = new ArrayList<>();
    for (int k = 0; k < series.size(); k++) {
      legend.add(new Chart.LegendEntry(series.get(k).name(), Chart.PALETTE[k % Chart.PALETTE.length], true));
    }
    boolean showLegend = series.size() > 1 || (series.size() == 1 && !series.get(0).name().isEmpty());
    Chart chart = Chart.withLegend(showLegend ? legend : List.of(), legendWidth -> {
      Chart c = new Chart(960 + legendWidth, 640, xs, ys, false, legendWidth);
      c.drawGrid();
      c.clipToArea(true);
      for (int k = 0; k < series.size(); k++) {
        drawLine(c, series.get(k), legend.get(k).color());
      }
      c.drawAxes(title, xLabel, yLabel);
      if (empty) {
        c.g.setFont(Chart.LABEL_FONT);
        c.g.drawString("no data", c.area.x + 20, c.area.y + 30);
      }
      return c;
    });
    chart.save(png);
  }

  /**
   * Grid of images (row-major n×h×w×c, values in [-1,1] mapped to [0,255], c = 1 or 3), `cols` per
   * row, optional row labels. Small images are enlarged by an integer factor (nearest neighbour)
   * to about 96 pixels; {@code rowLabels} may be null or empty, else label i is drawn left of row i.
   */
  public static void imageGrid(Path png, double[] images, int n, int h, int w, int c, int cols,
      List<String> rowLabels) throws IOException {
    if (n <= 0 || h <= 0 || w <= 0 || cols <= 0 || (c != 1 && c != 3)) {
      throw new IllegalArgumentException("imageGrid needs n, h, w, cols > 0 and c = 1 or 3; got n="
          + n + ", h=" + h + ", w=" + w + ", c=" + c + ", cols=" + cols);
    }
    if ((long) n * h * w * c != images.length) {
      throw new IllegalArgumentException("imageGrid: " + images.length + " values but n×h×w×c = "
          + n + "×" + h + "×" + w + "×" + c);
    }
    List<String> labels = rowLabels == null ? List.of() : rowLabels;
    int rows = (n + cols - 1) / cols;
    int zoom = Math.max(1, 96 / Math.max(h, w));
    int gap = 4;
    int margin = 8;
    int cellW = w * zoom;
    int cellH = h * zoom;

    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D pg = probe.createGraphics();
    pg.setFont(Chart.LABEL_FONT);
    FontMetrics fm = pg.getFontMetrics();
    int labelW = 0;
    for (String s : labels) {
      labelW = Math.max(labelW, fm.stringWidth(s) + 12);
    }
    pg.dispose();

    int width = 2 * margin + labelW + cols * cellW + (cols - 1) * gap;
    int height = 2 * margin + rows * cellH + (rows - 1) * gap;
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    for (int k = 0; k < n; k++) {
      int x0 = margin + labelW + (k % cols) * (cellW + gap);
      int y0 = margin + (k / cols) * (cellH + gap);
      g.setColor(FRAME);
      g.drawRect(x0 - 1, y0 - 1, cellW + 1, cellH + 1); // separates white images from the background
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          int base = ((k * h + i) * w + j) * c;
          int rgb = c == 1
              ? gray(images[base])
              : rgb(images[base], images[base + 1], images[base + 2]);
          g.setColor(new Color(rgb));
          g.fillRect(x0 + j * zoom, y0 + i * zoom, zoom, zoom);
        }
      }
    }
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(Chart.LABEL_FONT);
    g.setColor(Color.BLACK);
    for (int r = 0; r < Math.min(rows, labels.size()); r++) {
      int cy = margin + r * (cellH + gap) + cellH / 2;
      g.drawString(labels.get(r), margin, cy + g.getFontMetrics().getAscent() / 2 - 2);
    }
    g.dispose();
    Chart.writePng(out, png);
  }

  // ---- helpers ----

  /** Draws the points of xy that lie inside the view. */
  private static void drawPoints(Chart chart, double[] xy, Color color, double radius) {
    chart.g.setColor(color);
    for (int i = 0; i + 1 < xy.length; i += 2) {
      double x = xy[i];
      double y = xy[i + 1];
      if (!Double.isFinite(x) || !Double.isFinite(y)) {
        continue;
      }
      double px = chart.px(x);
      double py = chart.py(y);
      if (!chart.area.contains(px, py)) {
        continue;
      }
      chart.g.fill(new Ellipse2D.Double(px - radius, py - radius, 2 * radius, 2 * radius));
      chart.mark(px, py);
    }
  }

  /** {xmin, xmax, ymin, ymax}: all reference points and the central samples (see scatter). */
  static double[] viewBox(double[] reference, double[] samples) {
    double[] box = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (int axis = 0; axis < 2; axis++) {
      double[] ref = finiteColumn(reference, axis);
      double[] smp = finiteColumn(samples, axis);
      Arrays.sort(smp);
      if (ref.length > 0) {
        box[2 * axis] = Arrays.stream(ref).min().getAsDouble();
        box[2 * axis + 1] = Arrays.stream(ref).max().getAsDouble();
      }
      if (smp.length > 0) {
        int cut = (int) Math.floor(OUTLIER_QUANTILE * smp.length);
        box[2 * axis] = Math.min(box[2 * axis], smp[cut]);
        box[2 * axis + 1] = Math.max(box[2 * axis + 1], smp[smp.length - 1 - cut]);
      }
      if (box[2 * axis] > box[2 * axis + 1]) { // nothing finite to show
        box[2 * axis] = -1;
        box[2 * axis + 1] = 1;
      }
      if (box[2 * axis + 1] - box[2 * axis] < 1e-9) {
        box[2 * axis] -= 1;
        box[2 * axis + 1] += 1;
      }
    }
    return box;
  }

  private static double[] finiteColumn(double[] xy, int axis) {
    return IntStream.range(0, xy.length / 2)
        .mapToDouble(i -> xy[2 * i + axis])
        .filter(Double::isFinite)
        .toArray();
  }

  private static void drawLine(Chart chart, Series s, Color color) {
    Graphics2D g = chart.g;
    g.setColor(color);
    g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    Path2D.Double path = new Path2D.Double();
    boolean penDown = false;
    int drawn = 0;
    double lastX = 0;
    double lastY = 0;
    for (int i = 0; i < s.x().length; i++) {
      if (!chart.x.accepts(s.x()[i]) || !chart.y.accepts(s.y()[i])) {
        penDown = false;
        continue;
      }
      double prevX = lastX;
      double prevY = lastY;
      lastX = chart.px(s.x()[i]);
      lastY = chart.py(s.y()[i]);
      if (penDown) {
        chart.markSegment(prevX, prevY, lastX, lastY);
        path.lineTo(lastX, lastY);
      } else {
        chart.mark(lastX, lastY);
        path.moveTo(lastX, lastY);
        penDown = true;
      }
      drawn++;
    }
    g.draw(path);
    if (drawn == 1) { // a single point has no line: show it as a dot
      g.fill(new Ellipse2D.Double(lastX - 3, lastY - 3, 6, 6));
    }
  }

  private static int channel(double v) {
    if (Double.isNaN(v)) {
      return -1;
    }
    return (int) Math.round(Math.max(0, Math.min(255, (v + 1) / 2 * 255)));
  }

  private static int gray(double v) {
    int g = channel(v);
    return g < 0 ? 0xFF0000 : (g << 16) | (g << 8) | g;
  }

  private static int rgb(double r, double g, double b) {
    int cr = channel(r);
    int cg = channel(g);
    int cb = channel(b);
    return cr < 0 || cg < 0 || cb < 0 ? 0xFF0000 : (cr << 16) | (cg << 8) | cb;
  }
}
