package org.diffuse4j.runtime.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;
import javax.imageio.ImageIO;
import org.diffuse4j.runtime.io.AtomicFiles;

/**
 * A canvas with one set of axes: maps data coordinates to pixels and draws the frame, grid, ticks
 * with labels, axis labels, title and legend. Callers draw their data in between with {@link #g}.
 */
final class Chart {
  static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 20);
  static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 16);
  static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
  static final Color GRID = new Color(0xE4E4E4);

  /** Matplotlib's "tab10" colours, used in order for series. */
  static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
    new Color(0xbcbd22), new Color(0x17becf),
  };

  /** One legend row: a label with either a dot (points) or a short line (series). */
  record LegendEntry(String label, Color color, boolean line) {}

  final BufferedImage image;
  final Graphics2D g;
  final Rectangle area;
  final Scale x;
  final Scale y;

  /**
   * A white canvas of the given size whose plot area leaves room for title, ticks and labels, and
   * {@code legendWidth} extra pixels on the right for a legend outside the plot area (0 for none).
   */
  Chart(int width, int height, Scale x, Scale y, boolean square, int legendWidth) {
    this.image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    this.g = image.createGraphics();
    this.x = x;
    this.y = y;
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    int left = 90;
    int right = 30 + legendWidth;
    int top = 56;
    int bottom = 70;
    int w = width - left - right;
    int h = height - top - bottom;
    if (square) {
      int side = Math.min(w, h);
      left += (w - side) / 2;
      top += (h - side) / 2;
      w = side;
      h = side;
    }
    this.area = new Rectangle(left, top, w, h);
  }

  /** Pixel column of data value v. */
  double px(double v) {
    return area.x + x.fraction(v) * area.width;
  }

  /** Pixel row of data value v (up is larger). */
  double py(double v) {
    return area.y + area.height - y.fraction(v) * area.height;
  }

  /** Grid lines at the ticks; call before drawing data so the data covers them. */
  void drawGrid() {
    g.setColor(GRID);
    g.setStroke(new BasicStroke(1f));
    for (double t : x.ticks()) {
      g.draw(new Line2D.Double(px(t), area.y, px(t), area.y + area.height));
    }
    for (double t : y.ticks()) {
      g.draw(new Line2D.Double(area.x, py(t), area.x + area.width, py(t)));
    }
  }

  /** Restricts drawing to the plot area (true) or lifts the restriction (false). */
  void clipToArea(boolean on) {
    g.setClip(on ? area : null);
  }

  /** Frame, tick marks and labels, axis labels and title; call after drawing data. */
  void drawAxes(String title, String xLabel, String yLabel) {
    clipToArea(false);
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(1.2f));
    g.draw(area);
    g.setFont(TICK_FONT);
    FontMetrics fm = g.getFontMetrics();
    int bottom = area.y + area.height;
    int widest = 0;
    for (double t : x.ticks()) {
      int p = (int) Math.round(px(t));
      g.drawLine(p, bottom, p, bottom + 6);
      String s = Scale.label(t);
      g.drawString(s, p - fm.stringWidth(s) / 2, bottom + 8 + fm.getAscent());
    }
    for (double t : y.ticks()) {
      int p = (int) Math.round(py(t));
      g.drawLine(area.x - 6, p, area.x, p);
      String s = Scale.label(t);
      widest = Math.max(widest, fm.stringWidth(s));
      g.drawString(s, area.x - 9 - fm.stringWidth(s), p + fm.getAscent() / 2 - 1);
    }
    for (double t : x.minorTicks()) {
      int p = (int) Math.round(px(t));
      g.drawLine(p, bottom, p, bottom + 3);
    }
    for (double t : y.minorTicks()) {
      int p = (int) Math.round(py(t));
      g.drawLine(area.x - 3, p, area.x, p);
    }
    g.setFont(LABEL_FONT);
    fm = g.getFontMetrics();
    if (xLabel != null && !xLabel.isEmpty()) {
      int cx = area.x + area.width / 2 - fm.stringWidth(xLabel) / 2;
      g.drawString(xLabel, cx, bottom + 14 + 2 * fm.getAscent());
    }
    if (yLabel != null && !yLabel.isEmpty()) {
      AffineTransform saved = g.getTransform();
      int cx = Math.max(fm.getAscent(), area.x - 16 - widest);
      g.translate(cx, area.y + area.height / 2 + fm.stringWidth(yLabel) / 2);
      g.rotate(-Math.PI / 2);
      g.drawString(yLabel, 0, 0);
      g.setTransform(saved);
    }
    g.setFont(TITLE_FONT);
    fm = g.getFontMetrics();
    if (title != null && !title.isEmpty()) {
      g.drawString(title, area.x + area.width / 2 - fm.stringWidth(title) / 2, area.y - 18);
    }
  }

  /** Side of one cell of the occupancy grid, in pixels. */
  private static final int CELL = 8;
  /** How many data marks fell in each CELL×CELL block of the plot area (to place the legend). */
  private int[][] occupancy;

  /** Records that data was drawn at pixel (px, py), so that the legend avoids covering it. */
  void mark(double px, double py) {
    if (occupancy == null) {
      occupancy = new int[area.width / CELL + 1][area.height / CELL + 1];
    }
    int i = (int) ((px - area.x) / CELL);
    int j = (int) ((py - area.y) / CELL);
    if (i >= 0 && j >= 0 && i < occupancy.length && j < occupancy[0].length) {
      occupancy[i][j]++;
    }
  }

  /** Marks the segment between two pixels, one mark every few pixels. */
  void markSegment(double x0, double y0, double x1, double y1) {
    int steps = (int) Math.ceil(Math.hypot(x1 - x0, y1 - y0) / (CELL / 2.0));
    for (int k = 0; k <= steps; k++) {
      double f = steps == 0 ? 0 : (double) k / steps;
      mark(x0 + f * (x1 - x0), y0 + f * (y1 - y0));
    }
  }

  /** Data marks inside the pixel rectangle (x, y, w, h). */
  private int marksIn(int x, int y, int w, int h) {
    if (occupancy == null) {
      return 0;
    }
    int total = 0;
    for (int i = Math.max(0, (x - area.x) / CELL); i <= (x + w - area.x) / CELL && i < occupancy.length; i++) {
      for (int j = Math.max(0, (y - area.y) / CELL); j <= (y + h - area.y) / CELL && j < occupancy[0].length; j++) {
        total += occupancy[i][j];
      }
    }
    return total;
  }

  /**
   * Draws a chart with {@code draw} (given the extra width to reserve for a legend) and adds the
   * legend: inside the plot area if a corner is free of data, else the chart is drawn again, wider,
   * with the legend on the right.
   */
  static Chart withLegend(List<LegendEntry> legend, IntFunction<Chart> draw) {
    Chart chart = draw.apply(0);
    if (chart.drawLegendInside(legend)) {
      return chart;
    }
    chart.discard();
    chart = draw.apply(legendSize(legend)[0] + 20);
    chart.drawLegendOutside(legend);
    return chart;
  }

  /** Width and height in pixels of the legend box for these entries. */
  static int[] legendSize(List<LegendEntry> entries) {
    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D pg = probe.createGraphics();
    FontMetrics fm = pg.getFontMetrics(LABEL_FONT);
    int textW = 0;
    for (LegendEntry e : entries) {
      textW = Math.max(textW, fm.stringWidth(e.label()));
    }
    int rowH = fm.getHeight() + 2;
    pg.dispose();
    return new int[] {12 + LEGEND_KEY + 8 + textW + 12, 8 + rowH * entries.size() + 4};
  }

  private static final int LEGEND_KEY = 28;

  /**
   * Draws the legend in a corner of the plot area that covers no data (see {@link #mark}),
   * preferring upper right, then upper left, lower right, lower left. Returns false, drawing
   * nothing, if every corner would cover data.
   */
  boolean drawLegendInside(List<LegendEntry> entries) {
    if (entries.isEmpty()) {
      return true;
    }
    int[] size = legendSize(entries);
    int right = area.x + area.width - size[0] - 10;
    int left = area.x + 10;
    int upper = area.y + 10;
    int lower = area.y + area.height - size[1] - 10;
    for (int[] c : new int[][] {{right, upper}, {left, upper}, {right, lower}, {left, lower}}) {
      if (marksIn(c[0], c[1], size[0], size[1]) == 0) {
        drawLegendAt(entries, c[0], c[1]);
        return true;
      }
    }
    return false;
  }

  /** Draws the legend to the right of the plot area (reserve room with the constructor). */
  void drawLegendOutside(List<LegendEntry> entries) {
    drawLegendAt(entries, area.x + area.width + 12, area.y);
  }

  private void drawLegendAt(List<LegendEntry> entries, int bx, int by) {
    int[] size = legendSize(entries);
    g.setFont(LABEL_FONT);
    FontMetrics fm = g.getFontMetrics();
    int rowH = fm.getHeight() + 2;
    int keyW = LEGEND_KEY;
    g.setColor(new Color(255, 255, 255, 230));
    g.fillRect(bx, by, size[0], size[1]);
    g.setColor(Color.GRAY);
    g.setStroke(new BasicStroke(1f));
    g.drawRect(bx, by, size[0], size[1]);
    for (int i = 0; i < entries.size(); i++) {
      LegendEntry e = entries.get(i);
      int cy = by + 6 + rowH * i + rowH / 2;
      g.setColor(e.color());
      if (e.line()) {
        g.setStroke(new BasicStroke(2.5f));
        g.draw(new Line2D.Double(bx + 12, cy, bx + 12 + keyW, cy));
      } else {
        g.fill(new Ellipse2D.Double(bx + 12 + keyW / 2.0 - 5, cy - 5, 10, 10));
      }
      g.setColor(Color.BLACK);
      g.drawString(e.label(), bx + 12 + keyW + 8, cy + fm.getAscent() / 2 - 2);
    }
  }

  /** Writes the image as PNG (atomically) and releases the graphics context. */
  void save(Path png) throws IOException {
    g.dispose();
    writePng(image, png);
  }

  /** Releases the graphics context of a chart that will not be saved. */
  void discard() {
    g.dispose();
  }

  static void writePng(BufferedImage image, Path png) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "png", bytes)) {
      throw new IOException("no PNG writer available for " + png);
    }
    AtomicFiles.writeBytes(png, bytes.toByteArray());
  }
}
