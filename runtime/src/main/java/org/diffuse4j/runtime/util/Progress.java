package org.diffuse4j.runtime.util;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress bar with rate and ETA on stderr: redraws in place (\r) on a terminal, prints a line every
 * ~10% otherwise (CI logs).
 *
 * <p>Example output: {@code train [##########..........]  50%  500/1000  312 it/s  ETA 0:02  loss
 * 0.123}. A total of 0 or less means "unknown": then only the count and the rate are shown. The
 * rate is the average since construction, in the bar's unit ("it" for training steps,
 * "samples" for sampling: {@code 850 samples/s}).
 */
public final class Progress implements AutoCloseable {
  private static final int BAR_WIDTH = 24;
  private static final long REDRAW_NANOS = 100_000_000L; // at most ~10 redraws per second

  private final String label;
  private final String unit;
  private final long total;
  private final PrintStream out;
  private final boolean interactive;
  private final LongSupplier clock;
  private final long start;

  private long lastDraw = Long.MIN_VALUE;
  private int lastDecile = 0;
  private int lastWidth = 0;
  private long done = 0;
  private String extra = "";
  private boolean closed = false;

  /** A progress bar counting iterations ("it/s"); redraws in place if the process has a terminal. */
  public Progress(String label, long total, PrintStream out) {
    this(label, total, "it", out);
  }

  /** A progress bar counting {@code unit} (plural, e.g. "samples": "samples/s"). */
  public Progress(String label, long total, String unit, PrintStream out) {
    this(label, total, unit, out, isTerminal(), System::nanoTime);
  }

  /** For tests: explicit terminal mode and clock (nanoseconds). */
  Progress(String label, long total, PrintStream out, boolean interactive, LongSupplier clock) {
    this(label, total, "it", out, interactive, clock);
  }

  /** For tests: explicit unit, terminal mode and clock (nanoseconds). */
  Progress(String label, long total, String unit, PrintStream out, boolean interactive, LongSupplier clock) {
    this.label = label;
    this.unit = unit;
    this.total = total;
    this.out = out;
    this.interactive = interactive;
    this.clock = clock;
    this.start = clock.getAsLong();
  }

  /** Whether a terminal is attached and not a "dumb" one (e.g. an IDE console or CI log). */
  static boolean isTerminal() {
    return System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }

  /** Records that {@code done} units are finished; {@code extra} (may be null) is appended, e.g. "loss 0.123". */
  public void update(long done, String extra) {
    this.done = done;
    if (extra != null) {
      this.extra = extra;
    }
    if (closed) {
      return;
    }
    long now = clock.getAsLong();
    if (interactive) {
      if (lastDraw == Long.MIN_VALUE || now - lastDraw >= REDRAW_NANOS) {
        lastDraw = now;
        redraw(line(now));
      }
    } else if (total > 0) {
      int decile = (int) Math.min(10, done * 10 / total);
      if (decile > lastDecile && decile < 10) { // 100% is reported by close()
        lastDecile = decile;
        out.println(line(now));
        out.flush();
      }
    }
  }

  /** Prints the final line with the total time. Calling it again does nothing. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    long elapsed = clock.getAsLong() - start;
    StringBuilder s = new StringBuilder(label).append("  done ").append(done);
    if (total > 0 && done != total) {
      s.append('/').append(total);
    }
    s.append(" in ").append(duration(elapsed)).append("  ").append(rate(done, elapsed, unit));
    if (!extra.isEmpty()) {
      s.append("  ").append(extra);
    }
    if (interactive) {
      redraw(s.toString());
      out.println();
    } else {
      out.println(s);
    }
    out.flush();
  }

  /** The status line at time {@code now}. */
  String line(long now) {
    long elapsed = now - start;
    StringBuilder s = new StringBuilder(label).append(' ');
    if (total > 0) {
      double fraction = Math.min(1.0, Math.max(0.0, (double) done / total));
      int filled = (int) Math.round(fraction * BAR_WIDTH);
      s.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ");
      s.append(String.format(Locale.ROOT, "%3d%%  %d/%d", (int) (fraction * 100), done, total));
    } else {
      s.append(done);
    }
    s.append("  ").append(rate(done, elapsed, unit));
    if (total > 0 && done > 0 && done < total) {
      long eta = (long) (elapsed * (double) (total - done) / done);
      s.append("  ETA ").append(duration(eta));
    }
    if (!extra.isEmpty()) {
      s.append("  ").append(extra);
    }
    return s.toString();
  }

  private void redraw(String line) {
    // Pad with spaces so a shorter line fully overwrites a longer previous one.
    int pad = Math.max(0, lastWidth - line.length());
    out.print("\r" + line + " ".repeat(pad));
    out.flush();
    lastWidth = line.length();
  }

  static String rate(long done, long nanos) {
    return rate(done, nanos, "it");
  }

  /** "312 it/s", "25.0 samples/s", or "4.0 s/sample" below one per second. */
  static String rate(long done, long nanos, String unit) {
    if (nanos <= 0) {
      return "- " + unit + "/s";
    }
    double perSecond = done * 1e9 / nanos;
    if (perSecond >= 1 || perSecond == 0) {
      return String.format(Locale.ROOT, perSecond >= 100 ? "%.0f %s/s" : "%.1f %s/s", perSecond, unit);
    }
    String one = unit.endsWith("s") && unit.length() > 1 ? unit.substring(0, unit.length() - 1) : unit;
    return String.format(Locale.ROOT, "%.1f s/%s", 1 / perSecond, one);
  }

  /** "m:ss", or "h:mm:ss" from one hour on. */
  static String duration(long nanos) {
    long seconds = Math.round(nanos / 1e9);
    long h = seconds / 3600;
    long m = seconds / 60 % 60;
    long s = seconds % 60;
    return h > 0
        ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
        : String.format(Locale.ROOT, "%d:%02d", m, s);
  }
}
