package org.diffuse4j.data;

import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.plugin.Options;

/**
 * Seeded toy 2-D data sets generated in code; row i depends only on (seed, first + i) through
 * {@link CounterNoise}, so a batch does not depend on how the data was split into batches.
 *
 * <p>Every set is scaled to mean 0 and variance 1 per axis (exactly, in expectation), using the
 * analytic moments of the raw construction given on each constant. Each row draws its random
 * numbers from stream 0 of {@link CounterNoise}: uniforms from components 2, 3, 4 and Gaussian noise
 * from components 0 and 1.
 */
public enum Toy2d {
  /**
   * Two interleaving half circles (as in scikit-learn's make_moons): upper arc (cos t, sin t) and
   * lower arc (1 − cos t, 0.5 − sin t), t uniform in [0, π], each with probability 1/2, plus
   * Gaussian noise of s.d. 0.05; then x' = (x − 0.5)/σx and y' = (y − 0.25)/σy with
   * σx² = 3/4 + 0.05² and σy² = 9/16 − 1/π + 0.05² (derivation on the constants below).
   */
  TWO_MOONS("two-moons"),
  /**
   * Eight Gaussian blobs of s.d. 0.15 whose centres are equally spaced on a circle of radius
   * R = √(2(1 − 0.15²)) ≈ 1.398, starting at angle 0; the per-axis variance R²/2 + 0.15² is 1.
   */
  EIGHT_GAUSSIANS("8-gaussians"),
  /**
   * Uniform on the 8 "black" squares (i + j even) of a 4×4 board of unit squares covering
   * [−2, 2]², then multiplied by √3/2 so that the board covers [−√3, √3]² and each axis (uniform on
   * the whole interval) has variance 1.
   */
  CHECKERBOARD("checkerboard"),
  /**
   * Two interleaved spiral arms: radius r = √u (u uniform), angle θ = 4πr (two turns), the second
   * arm rotated by π, plus Gaussian noise of s.d. 0.02; each axis is then divided by its analytic
   * standard deviation (computed once by numerical integration, see {@link #SPIRAL_STD}).
   */
  SPIRALS("spirals");

  private final String id;

  Toy2d(String id) {
    this.id = id;
  }

  /** The set named {@code name} ("two-moons", "8-gaussians", "checkerboard", "spirals"). */
  public static Toy2d of(String name) {
    List<String> ids = new ArrayList<>();
    for (Toy2d t : values()) {
      if (t.id.equals(name)) {
        return t;
      }
      ids.add(t.id);
    }
    String closest = name == null ? null : Options.closest(name, ids);
    throw new IllegalArgumentException("unknown toy data set '" + name + "'; known: "
        + String.join(", ", ids) + (closest == null ? "" : "; did you mean '" + closest + "'?"));
  }

  /** The name used in manifests, e.g. "two-moons". */
  public String id() {
    return id;
  }

  @Override
  public String toString() {
    return id;
  }

  /** Rows first .. first + n − 1 of the data set for {@code seed}, row-major n×2. */
  public double[] sample(long seed, long first, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    double[] out = new double[2 * n];
    double[] row = new double[2];
    for (int i = 0; i < n; i++) {
      Draws r = new Draws(seed, first + i);
      switch (this) {
        case TWO_MOONS -> moons(r, row);
        case EIGHT_GAUSSIANS -> gaussians(r, row);
        case CHECKERBOARD -> checkerboard(r, row);
        case SPIRALS -> spirals(r, row);
      }
      out[2 * i] = row[0];
      out[2 * i + 1] = row[1];
    }
    return out;
  }

  /** The random numbers of one row. */
  private record Draws(long seed, long index) {
    double uniform(int k) {
      return CounterNoise.uniform(seed, index, 0, 2 + k);
    }

    double gaussian(int k) {
      return CounterNoise.gaussian(seed, index, 0, k);
    }
  }

  // ---- two moons ----
  static final double MOONS_NOISE = 0.05;
  static final double MOONS_MEAN_X = 0.5;
  static final double MOONS_MEAN_Y = 0.25;
  /** E[x²] = (1/2 + 3/2)/2 = 1, so Var x = 1 − 0.5² plus the noise. */
  static final double MOONS_VAR_X = 0.75 + MOONS_NOISE * MOONS_NOISE;
  /** E[y²] = (1/2 + (3/4 − 2/π))/2, so Var y = E[y²] − 0.25² = 9/16 − 1/π, plus the noise. */
  static final double MOONS_VAR_Y = 9.0 / 16 - 1 / Math.PI + MOONS_NOISE * MOONS_NOISE;

  private static void moons(Draws r, double[] out) {
    double t = Math.PI * r.uniform(1);
    double x;
    double y;
    if (r.uniform(0) < 0.5) {
      x = Math.cos(t);
      y = Math.sin(t);
    } else {
      x = 1 - Math.cos(t);
      y = 0.5 - Math.sin(t);
    }
    x += MOONS_NOISE * r.gaussian(0);
    y += MOONS_NOISE * r.gaussian(1);
    out[0] = (x - MOONS_MEAN_X) / Math.sqrt(MOONS_VAR_X);
    out[1] = (y - MOONS_MEAN_Y) / Math.sqrt(MOONS_VAR_Y);
  }

  // ---- eight Gaussians ----
  static final double GAUSSIANS_STD = 0.15;
  static final double GAUSSIANS_RADIUS = Math.sqrt(2 * (1 - GAUSSIANS_STD * GAUSSIANS_STD));

  private static void gaussians(Draws r, double[] out) {
    int k = Math.min(7, (int) (8 * r.uniform(0)));
    double angle = 2 * Math.PI * k / 8;
    out[0] = GAUSSIANS_RADIUS * Math.cos(angle) + GAUSSIANS_STD * r.gaussian(0);
    out[1] = GAUSSIANS_RADIUS * Math.sin(angle) + GAUSSIANS_STD * r.gaussian(1);
  }

  // ---- checkerboard ----
  static final double CHECKER_SCALE = Math.sqrt(3) / 2;

  private static void checkerboard(Draws r, double[] out) {
    int square = Math.min(7, (int) (8 * r.uniform(0)));
    int row = square / 2; // 0..3, two black squares per row
    int col = 2 * (square % 2) + row % 2; // makes row + col even
    out[0] = CHECKER_SCALE * (-2 + col + r.uniform(1));
    out[1] = CHECKER_SCALE * (-2 + row + r.uniform(2));
  }

  // ---- spirals ----
  static final double SPIRAL_NOISE = 0.02;
  static final double SPIRAL_TURNS = 2;
  /**
   * Per-axis standard deviation of the raw spirals. Both arms are mirror images through the origin,
   * so the mean is 0 and Var x = E[r² cos²θ] = ∫₀¹ 2r · r² cos²(4πr) dr (r = √u has density 2r),
   * plus the noise; likewise with sin² for y.
   */
  static final double[] SPIRAL_STD = spiralStd();

  private static double[] spiralStd() {
    int steps = 100_000;
    double sx = 0;
    double sy = 0;
    for (int i = 0; i < steps; i++) {
      double r = (i + 0.5) / steps; // midpoint rule
      double theta = 2 * Math.PI * SPIRAL_TURNS * r;
      double c = Math.cos(theta);
      double s = Math.sin(theta);
      sx += 2 * r * r * r * c * c;
      sy += 2 * r * r * r * s * s;
    }
    double noise = SPIRAL_NOISE * SPIRAL_NOISE;
    return new double[] {Math.sqrt(sx / steps + noise), Math.sqrt(sy / steps + noise)};
  }

  private static void spirals(Draws r, double[] out) {
    double radius = Math.sqrt(r.uniform(1));
    double theta = 2 * Math.PI * SPIRAL_TURNS * radius + (r.uniform(0) < 0.5 ? 0 : Math.PI);
    double x = radius * Math.cos(theta) + SPIRAL_NOISE * r.gaussian(0);
    double y = radius * Math.sin(theta) + SPIRAL_NOISE * r.gaussian(1);
    out[0] = x / SPIRAL_STD[0];
    out[1] = y / SPIRAL_STD[1];
  }
}
