package org.diffuse4j.objectives;

import java.util.EnumSet;
import java.util.Set;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Teacher;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.TrainingNetworks;
import org.diffuse4j.api.tensor.Tensor;

/**
 * PeRFlow, piecewise rectified flow (Yan et al. 2024, PeRFlow: Piecewise Rectified Flow as Universal
 * Plug-and-Play Accelerator, §3): the teacher's time axis is cut into K windows at the times of the
 * {@code uniform} grid with K steps, T_j = T_max + (T_min − T_max)·j/K; each example's window is the
 * one holding its time, its start point is the forward marginal there and its end point the teacher's
 * ODE solution, and the student regresses the straight segment between them. In y = x/α and r = σ/α
 * (the coordinates of {@link Teacher}), with window (r_e, r_s]:
 *
 * <pre>
 * y_s = x0 + r_s ε,   y_e = teacher ODE from (y_s, r_s) to r_e (M sub-steps, uniform in the teacher's t),
 * ε* = (y_e − y_s)/(r_e − r_s),   x0* = y_e − r_e ε*,   x_t = α_t x0* + σ_t ε*  (the segment at the row's r_t),
 * loss = mean_j (f_θ(x_t, t) − target(x0*, ε*, x_t))²_j   (velocity: target = α̇ x0* + σ̇ ε*).
 * </pre>
 *
 * The segment is straight in (r, y), where a DDIM step is exact for constant ε̂; on rectified flow
 * (α = 1 − t, σ = t) it is the straight line in (t, x) from x_s to x_e with velocity (x_e − x_s)/(t_e −
 * t_s), the paper's, and Euler on the window edges is exact for a perfect student.
 */
public final class PiecewiseRectifiedFlow implements Objective {
  private final int windows;
  private final int teacherSteps;
  private final boolean init;
  private final double edgeShift;

  /**
   * @param windows the number K of time windows (K Euler steps on the window edges sample the student)
   * @param teacherSteps the teacher's solver steps M per window
   * @param init whether the student starts at the teacher run's weights ({@link Need#INIT}), as the paper
   * @param edgeShift where a row's window changes, as a fraction of a window above each inner edge T_j: 0 is
   *     the paper (window j holds (T_{j+1}, T_j]); s &gt; 0 gives window j the times (T_{j+1} + sΔ, T_j + sΔ],
   *     its segment extended beyond its start, so the student's velocity jumps between windows away from the
   *     edges where the sampler evaluates it
   */
  public PiecewiseRectifiedFlow(int windows, int teacherSteps, boolean init, double edgeShift) {
    if (windows < 1 || teacherSteps < 1 || !(edgeShift >= 0 && edgeShift < 1)) {
      throw new IllegalArgumentException("perflow needs windows >= 1, teacher_steps >= 1 and 0 <= edge_shift < 1, got "
          + windows + ", " + teacherSteps + " and " + edgeShift);
    }
    this.windows = windows;
    this.teacherSteps = teacherSteps;
    this.init = init;
    this.edgeShift = edgeShift;
  }

  /** The paper's windows (no edge shift). */
  public PiecewiseRectifiedFlow(int windows, int teacherSteps, boolean init) {
    this(windows, teacherSteps, init, 0);
  }

  /** The number K of windows. */
  public int windows() {
    return windows;
  }

  @Override
  public Set<Need> needs() {
    return init ? EnumSet.of(Need.TEACHER, Need.INIT) : EnumSet.of(Need.TEACHER);
  }

  /** t uniform on the schedule's [tMin, tMax]: a window uniformly, then t uniformly inside it. */
  @Override
  public double sampleTime(Schedule schedule, double u) {
    return schedule.tMin() + (schedule.tMax() - schedule.tMin()) * u;
  }

  /**
   * The window edges T_0 = tMax &gt; … &gt; T_K = tMin, each sub-divided into {@code sub} equal steps: the
   * times of the {@code uniform} grid with K·sub steps, as that grid computes them (row j, column m is
   * T_j + m/sub of the way to T_{j+1}; column 0 of row j + 1 equals column sub of row j).
   *
   * @param schedule the schedule whose [tMin, tMax] is cut
   * @param k the number K of windows
   * @param sub the steps per window
   * @return K rows of sub + 1 times each
   */
  public static double[][] windowTimes(Schedule schedule, int k, int sub) {
    double hi = schedule.tMax();
    double lo = schedule.tMin();
    double[][] t = new double[k][sub + 1];
    for (int j = 0; j < k; j++) {
      for (int m = 0; m <= sub; m++) {
        int i = j * sub + m;
        t[j][m] = i == 0 ? hi : i == k * sub ? lo : hi + (lo - hi) * ((double) i / (k * sub));
      }
    }
    return t;
  }

  /**
   * Each row's straight segment in (r, y): the window holding the row's σ/α (a row exactly at an edge
   * is in the window that starts there; with an edge shift s, the change from window j − 1 to j is at
   * T_j + s(T_{j−1} − T_j)), the forward marginal at its start and the teacher's ODE
   * solution at its end.
   *
   * @param b the batch: x0, ε, the rows' path points, condition
   * @param teacher the frozen teacher; the windows are cut on its schedule
   * @return the rows' segments
   */
  public Segment segment(TrainingBatch b, Teacher teacher) {
    double[][] times = windowTimes(teacher.schedule(), windows, teacherSteps);
    double[][] r = new double[windows][teacherSteps + 1];
    for (int j = 0; j < windows; j++) {
      for (int m = 0; m <= teacherSteps; m++) {
        r[j][m] = ratio(teacher.schedule(), times[j][m]);
      }
    }
    PathPoint p = b.point();
    Tensor rt = p.sigma().div(p.alpha());
    Tensor zero = rt.zerosLike();
    Tensor one = zero.plus(1);
    // level = #{i in 1..K−1 : r_t <= r_i}; r_s and r_e move along the edges with it
    Tensor level = zero;
    Tensor rStart = zero.plus(r[0][0]);
    Tensor rEnd = zero.plus(r[0][teacherSteps]);
    for (int i = 1; i < windows; i++) {
      double boundary = ratio(teacher.schedule(), times[i][0] + edgeShift * (times[i - 1][0] - times[i][0]));
      Tensor below = rt.minus(boundary).wherePositive(zero, one);
      level = level.plus(below);
      rStart = rStart.plus(below.times(r[i][0] - r[i - 1][0]));
      rEnd = rEnd.plus(below.times(r[i][teacherSteps] - r[i - 1][teacherSteps]));
    }
    Tensor yStart = b.x0().plus(b.eps().times(rStart));
    Tensor y = yStart;
    for (int m = 0; m < teacherSteps; m++) {
      double[] from = new double[windows];
      double[] to = new double[windows];
      for (int j = 0; j < windows; j++) {
        from[j] = r[j][m];
        to[j] = r[j][m + 1];
      }
      y = teacher.stepRows(y, level, from, to, b.condition(), b.noise());
    }
    return new Segment(rStart, rEnd, yStart, y.stopGradient());
  }

  private static double ratio(Schedule s, double t) {
    return s.sigma(t) / s.alpha(t);
  }

  @Override
  public Tensor loss(TrainingBatch b, Network network, Parameterisation param) {
    throw new IllegalStateException("perflow distils from a teacher: give the manifest 'teacher: {run: DIR}'");
  }

  @Override
  public Tensor loss(TrainingBatch b, TrainingNetworks networks, Parameterisation param) {
    if (networks.teacher() == null) {
      return loss(b, networks.network(), param);
    }
    PathPoint p = b.point();
    Segment s = segment(b, networks.teacher());
    Tensor eps = s.eps();
    Tensor x0 = s.x0();
    Tensor xt = x0.times(p.alpha()).plus(eps.times(p.sigma()));
    Tensor raw = networks.network().apply(param.networkInput(xt, p), param.networkTime(p), b.condition());
    return raw.minus(param.target(x0, eps, xt, p).stopGradient()).square().meanPerSample();
  }

  /**
   * One straight segment per row, in y = x/α against r = σ/α, from the window's start (r_s, y_s) to
   * its end (r_e, y_e); every column is [B, 1] (r) or of x's shape (y).
   *
   * @param rStart σ/α at the window's start
   * @param rEnd σ/α at the window's end, below {@code rStart}
   * @param yStart x/α at the start: x0 + r_s ε
   * @param yEnd x/α at the end: the teacher's ODE solution from the start, gradient stopped
   */
  public record Segment(Tensor rStart, Tensor rEnd, Tensor yStart, Tensor yEnd) {

    /**
     * The segment's constant slope dy/dr, the ε̂ of every point on it.
     *
     * @return ε* = (y_e − y_s)/(r_e − r_s)
     */
    public Tensor eps() {
      return yEnd.minus(yStart).div(rEnd.minus(rStart));
    }

    /**
     * The x̂0 of every point on the segment (its value at r = 0), taken from the end, where σ/α is smaller.
     *
     * @return x0* = y_e − r_e ε*
     */
    public Tensor x0() {
      return yEnd.minus(eps().times(rEnd));
    }
  }
}
