package org.diffuse4j.runtime.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.diffuse4j.api.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Headless charts: line and scatter plots drawn by XChart, written as PNG with an SVG beside it
 * ({@code x.png} and {@code x.svg}); image grids as PNG.
 *
 * <p>All files are written atomically. Non-finite values are skipped in scatter and line plots
 * (and non-positive ones on log axes); in image grids they are shown as red pixels.
 */
public final class Plots {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Plots() {}

  /**
   * One named line: y[i] against x[i]; {@code colour} is an index into the palette (−1: the next
   * one in order) and {@code dashed} draws the line dashed.
   */
  public record Series(String name, double[] x, double[] y, int colour, boolean dashed) {
    /** A solid line in the next colour of the palette. */
    public Series(String name, double[] x, double[] y) {
      this(name, x, y, -1, false);
    }
  }

  /** Matplotlib's "tab10" colours, used in order for series. */
  static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
    new Color(0xbcbd22), new Color(0x17becf),
  };
  static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 16);
  private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 18);
  private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  private static final Color REFERENCE = new Color(150, 150, 150, 110);
  private static final Color SAMPLES = new Color(31, 119, 180, 150);
  private static final Color FRAME = new Color(170, 170, 170);
  /** The fraction of samples allowed to fall outside the view on each side (outliers). */
  private static final double OUTLIER_QUANTILE = 0.005;
  /** Series with at most this many points get a marker at every point (sweeps, not curves). */
  static final int MARKED_POINTS = 40;
  /** Dashed lines are drawn through at most this many points, so each segment is long enough to show a dash. */
  private static final int DASHED_POINTS = 50;

  /**
   * Scatter of 2-D samples (row-major n×2) in one colour over reference data in grey, equal axes,
   * title and legend. The view covers all reference points and all but the 0.5% most extreme
   * samples on each side (so a few diverged samples do not squash the plot); the legend counts
   * the samples outside the view. {@code reference} may be empty.
   */
  public static void scatter(Path png, String title, double[] reference, double[] samples)
      throws IOException {
    save(scatterChart(title, reference, samples), png);
  }

  /** The chart {@link #scatter} draws. */
  static XYChart scatterChart(String title, double[] reference, double[] samples) {
    double[] ref = reference == null ? new double[0] : reference;
    if (ref.length % 2 != 0 || samples.length % 2 != 0) {
      throw new IllegalArgumentException("scatter needs row-major n×2 arrays, got lengths "
          + ref.length + " and " + samples.length);
    }
    double[] box = viewBox(ref, samples);
    double cx = (box[0] + box[1]) / 2;
    double cy = (box[2] + box[3]) / 2;
    double half = 1.08 * Math.max(box[1] - box[0], box[3] - box[2]) / 2;
    double xMin = cx - half;
    double xMax = cx + half;
    double yMin = cy - half;
    double yMax = cy + half;
    int n = samples.length / 2;
    int nRef = ref.length / 2;
    int outside = 0;
    for (int i = 0; i < n; i++) {
      double x = samples[2 * i];
      double y = samples[2 * i + 1];
      if (!(x >= xMin && x <= xMax && y >= yMin && y <= yMax)) { // also true for NaN
        outside++;
      }
    }
    // The legend sits below the plot so it never hides points; the plot area stays square.
    XYChart chart = new XYChartBuilder().width(760).height(840).title(title).xAxisTitle("x1").yAxisTitle("x2").build();
    style(chart);
    XYStyler st = chart.getStyler();
    st.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    st.setLegendPosition(Styler.LegendPosition.OutsideS);
    st.setLegendLayout(Styler.LegendLayout.Horizontal);
    st.setMarkerSize(Math.max(n, nRef) > 5000 ? 3 : 5);
    st.setXAxisMin(xMin);
    st.setXAxisMax(xMax);
    st.setYAxisMin(yMin);
    st.setYAxisMax(yMax);
    if (nRef > 0) {
      double[][] r = inside(ref, xMin, xMax, yMin, yMax);
      XYSeries s = chart.addSeries("data (" + nRef + ")", r[0], r[1]);
      s.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(REFERENCE);
    }
    double[][] smp = inside(samples, xMin, xMax, yMin, yMax);
    String label = "samples (" + n + (outside > 0 ? ", " + outside + " outside view)" : ")");
    chart.addSeries(label, smp[0], smp[1]).setMarker(SeriesMarkers.CIRCLE).setMarkerColor(SAMPLES);
    return chart;
  }

  /**
   * Line plot of several series with axes, ticks, labels and a legend; optional log-scale axes,
   * whose titles then say "(log scale)". Points that cannot be drawn (NaN, or ≤ 0 on a log axis)
   * break the line; a series of at most {@value #MARKED_POINTS} points marks each point.
   */
  public static void lines(Path png, String title, String xLabel, String yLabel, boolean logX,
      boolean logY, List<Series> series) throws IOException {
    save(lineChart(title, xLabel, yLabel, logX, logY, series), png);
  }

  /** The chart {@link #lines} draws. */
  static XYChart lineChart(String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Series> series) {
    for (Series s : series) {
      if (s.x().length != s.y().length) {
        throw new IllegalArgumentException("series '" + s.name() + "' has " + s.x().length
            + " x values but " + s.y().length + " y values");
      }
    }
    XYChart chart = new XYChartBuilder().width(960).height(640).title(title)
        .xAxisTitle(logX ? xLabel + " (log scale)" : xLabel)
        .yAxisTitle(logY ? yLabel + " (log scale)" : yLabel).build();
    style(chart);
    XYStyler st = chart.getStyler();
    st.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    st.setXAxisLogarithmic(logX);
    st.setYAxisLogarithmic(logY);
    st.setXAxisLogarithmicDecadeOnly(false); // a label at 2, 5, … too: losses often span less than a decade
    st.setYAxisLogarithmicDecadeOnly(false);
    double[] range = range(series, logX, logY);
    st.setXAxisTickLabelsFormattingFunction(logX ? logLabels(range[0], range[1]) : Plots::label);
    st.setYAxisTickLabelsFormattingFunction(logY ? logLabels(range[2], range[3]) : Plots::label);
    if (!logX && range[0] < range[1]) { // start and end on round values, so the ticks are round
      double step = niceStep((range[1] - range[0]) / 8);
      st.setXAxisMin(Math.floor(range[0] / step) * step);
      st.setXAxisMax(Math.ceil(range[1] / step) * step);
      // XChart puts the ticks of equally spaced x values (steps 1…N) on data values (1, 107, 213, …);
      // one hidden point off that spacing makes it choose round ticks from the axis range instead.
      XYSeries hidden = chart.addSeries("\u200b", new double[] {Math.floor(range[0] / step) * step + 0.37 * step},
          new double[] {range[2]});
      hidden.setMarker(SeriesMarkers.NONE).setLineColor(new Color(0, 0, 0, 0));
      hidden.setShowInLegend(false);
    }
    if (logY && range[2] > 0 && range[2] < range[3]) { // end on ticks (1.23…2.11 → 1…3), so the end labels are round
      st.setYAxisMin(mantissaFloor(range[2]));
      st.setYAxisMax(mantissaCeil(range[3]));
    }
    if (!logY && range[2] < range[3]) {
      double step = niceStep((range[3] - range[2]) / 8);
      st.setYAxisMin(Math.floor(range[2] / step) * step);
      st.setYAxisMax(Math.ceil(range[3] / step) * step);
    }
    st.setLegendPosition(Styler.LegendPosition.OutsideE);
    boolean showLegend = series.size() > 1 || (series.size() == 1 && !series.get(0).name().isEmpty());
    st.setLegendVisible(showLegend);
    Set<String> names = new HashSet<>();
    int drawn = 0;
    for (int k = 0; k < series.size(); k++) {
      Series s = series.get(k);
      double[][] xy = drawable(s, logX, logY);
      if (xy[0].length == 0) {
        continue;
      }
      long finite = Arrays.stream(xy[1]).filter(Double::isFinite).count();
      // past the palette's ten colours, automatic colours repeat: draw that second round dashed
      boolean dashed = s.dashed() || s.colour() < 0 && k >= PALETTE.length;
      if (dashed) {
        xy = thin(xy, DASHED_POINTS); // XChart dashes each segment anew: short segments look solid
      }
      String name = s.name().isEmpty() ? " " : s.name();
      while (!names.add(name)) { // XChart needs distinct names
        name = name + " ";
      }
      XYSeries line = chart.addSeries(name, xy[0], xy[1]);
      Color colour = PALETTE[(s.colour() >= 0 ? s.colour() : k) % PALETTE.length];
      line.setLineColor(colour);
      line.setLineStyle(dashed
          ? new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {9f, 6f}, 0f)
          : new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      if (finite <= MARKED_POINTS) {
        line.setMarker(dashed ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE).setMarkerColor(colour);
      } else {
        line.setMarker(SeriesMarkers.NONE);
      }
      drawn++;
    }
    if (drawn == 0) { // XChart needs a series: show an empty frame that says so
      st.setLegendVisible(true);
      st.setXAxisLogarithmic(false);
      st.setYAxisLogarithmic(false);
      chart.addSeries("no data", new double[] {0, 1}, new double[] {Double.NaN, Double.NaN})
          .setMarker(SeriesMarkers.NONE).setLineColor(Color.WHITE);
    }
    return chart;
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
    pg.setFont(LABEL_FONT);
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
    g.setFont(LABEL_FONT);
    g.setColor(Color.BLACK);
    for (int r = 0; r < Math.min(rows, labels.size()); r++) {
      int cy = margin + r * (cellH + gap) + cellH / 2;
      g.drawString(labels.get(r), margin, cy + g.getFontMetrics().getAscent() / 2 - 2);
    }
    g.dispose();
    writePng(out, png);
  }

  // ---- helpers ----

  /**
   * A short tick label: at most four significant digits without trailing zeros, and powers of ten
   * as {@code 1e-5} outside [1e-3, 1e5).
   */
  static String label(double v) {
    if (v == 0 || !Double.isFinite(v)) {
      return v == 0 ? "0" : String.valueOf(v);
    }
    double a = Math.abs(v);
    if (a >= 1e-3 && a < 1e5) {
      return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
    int e = (int) Math.floor(Math.log10(a));
    double m = v / Math.pow(10, e);
    if (Math.abs(Math.abs(m) - 10) < 1e-9) {
      m = Math.signum(m);
      e++;
    }
    String mant = new java.math.BigDecimal(m).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    return mant + "e" + e;
  }

  /**
   * Labels for a log axis over [lo, hi]: every tick (1…9 × 10^k) when the data spans less than
   * a decade, else only 1, 2 and 5 × 10^k so the labels do not overlap.
   */
  static java.util.function.Function<Double, String> logLabels(double lo, double hi) {
    boolean all = !(lo > 0) || !(hi > lo) || Math.log10(hi / lo) < 1;
    return v -> {
      if (all || !(v > 0)) {
        return label(v);
      }
      long mantissa = Math.round(v / Math.pow(10, Math.floor(Math.log10(v) + 1e-9)));
      return mantissa == 1 || mantissa == 2 || mantissa == 5 ? label(v) : "";
    };
  }

  /** The largest m × 10^k (m = 1…9) at most {@code v > 0}: the log-axis tick below v. */
  static double mantissaFloor(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    return Math.floor(v / p * (1 + 1e-12)) * p;
  }

  /** The smallest m × 10^k (m = 1…10) at least {@code v > 0}: the log-axis tick above v. */
  static double mantissaCeil(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    return Math.ceil(v / p * (1 - 1e-12)) * p;
  }

  /** 1, 2 or 5 × 10^k: the smallest at least {@code raw}. */
  static double niceStep(double raw) {
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    double m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }

  /** {xmin, xmax, ymin, ymax} over the points that can be drawn (NaN when there are none). */
  private static double[] range(List<Series> series, boolean logX, boolean logY) {
    double[] r = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (Series s : series) {
      for (int i = 0; i < s.x().length; i++) {
        double x = s.x()[i];
        double y = s.y()[i];
        if (Double.isFinite(x) && Double.isFinite(y) && (!logX || x > 0) && (!logY || y > 0)) {
          r[0] = Math.min(r[0], x);
          r[1] = Math.max(r[1], x);
          r[2] = Math.min(r[2], y);
          r[3] = Math.max(r[3], y);
        }
      }
    }
    return r[0] > r[1] ? new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN} : r;
  }

  /** The common look: white background, tab10 colours, readable fonts. */
  private static void style(XYChart chart) {
    XYStyler st = chart.getStyler();
    st.setChartBackgroundColor(Color.WHITE);
    st.setPlotBackgroundColor(Color.WHITE);
    st.setPlotBorderColor(FRAME);
    st.setPlotGridLinesColor(new Color(0xE4E4E4));
    st.setLegendBorderColor(FRAME);
    st.setChartTitleFont(TITLE_FONT);
    st.setAxisTitleFont(LABEL_FONT);
    st.setLegendFont(TICK_FONT.deriveFont(14f));
    st.setAxisTickLabelsFont(TICK_FONT);
    st.setChartTitleBoxVisible(false);
    st.setSeriesColors(PALETTE);
    st.setAntiAlias(true);
    st.setLocale(java.util.Locale.ROOT);
    st.setChartPadding(14);
  }

  /** Writes {@code png} and the same chart as SVG beside it, both atomically. */
  private static void save(XYChart chart, Path png) throws IOException {
    writePng(BitmapEncoder.getBufferedImage(chart), png);
    ByteArrayOutputStream svg = new ByteArrayOutputStream();
    VectorGraphicsEncoder.saveVectorGraphic(chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    AtomicFiles.writeBytes(svgBeside(png), svg.toByteArray());
  }

  /** {@code x.svg} for {@code x.png} (or {@code x.svg} appended to any other name). */
  public static Path svgBeside(Path png) {
    String name = png.getFileName().toString();
    String stem = name.toLowerCase(java.util.Locale.ROOT).endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    return png.resolveSibling(stem + ".svg");
  }

  /** The x and y columns of the finite points of xy inside the box. */
  private static double[][] inside(double[] xy, double xMin, double xMax, double yMin, double yMax) {
    int n = xy.length / 2;
    double[] xs = new double[n];
    double[] ys = new double[n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      double x = xy[2 * i];
      double y = xy[2 * i + 1];
      if (x >= xMin && x <= xMax && y >= yMin && y <= yMax) {
        xs[k] = x;
        ys[k++] = y;
      }
    }
    return new double[][] {Arrays.copyOf(xs, k), Arrays.copyOf(ys, k)};
  }

  /** Every k-th point (and the last) so that at most about {@code max} remain. */
  private static double[][] thin(double[][] xy, int max) {
    int n = xy[0].length;
    if (n <= max) {
      return xy;
    }
    int k = (n + max - 1) / max;
    int m = (n - 1) / k + 1 + ((n - 1) % k == 0 ? 0 : 1);
    double[] x = new double[m];
    double[] y = new double[m];
    int j = 0;
    for (int i = 0; i < n; i += k) {
      x[j] = xy[0][i];
      y[j++] = xy[1][i];
    }
    if ((n - 1) % k != 0) {
      x[j] = xy[0][n - 1];
      y[j] = xy[1][n - 1];
    }
    return new double[][] {x, y};
  }

  /**
   * The series with points that cannot be drawn turned into NaN (a break in the line); no points
   * at all when none can be drawn.
   */
  private static double[][] drawable(Series s, boolean logX, boolean logY) {
    double[] x = s.x().clone();
    double[] y = s.y().clone();
    int ok = 0;
    for (int i = 0; i < x.length; i++) {
      boolean good = Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!logX || x[i] > 0) && (!logY || y[i] > 0);
      if (good) {
        ok++;
      } else {
        x[i] = Double.isFinite(x[i]) && (!logX || x[i] > 0) ? x[i] : Double.NaN;
        y[i] = Double.NaN;
      }
    }
    if (ok == 0) {
      return new double[][] {new double[0], new double[0]};
    }
    // XChart needs finite x values: drop points whose x cannot be drawn, keep y NaN for breaks
    int k = 0;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isNaN(x[i])) {
        x[k] = x[i];
        y[k++] = y[i];
      }
    }
    return new double[][] {Arrays.copyOf(x, k), Arrays.copyOf(y, k)};
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

  private static void writePng(BufferedImage image, Path png) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "png", bytes)) {
      throw new IOException("no PNG writer available for " + png);
    }
    AtomicFiles.writeBytes(png, bytes.toByteArray());
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
