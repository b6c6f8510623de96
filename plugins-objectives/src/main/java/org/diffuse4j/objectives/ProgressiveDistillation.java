package org.diffuse4j.objectives;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.diffuse4j.api.Condition;
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
 * Progressive distillation (Salimans &amp; Ho 2022, Progressive Distillation for Fast Sampling of
 * Diffusion Models, Alg. 2): the student's one DDIM step from t to t'' matches the teacher's two DDIM
 * steps t → t' → t''. On the student's grid t_0 &gt; … &gt; t_N (uniform in t,
 * t_k = t_max + (t_min − t_max)·k/N) step i is drawn uniformly, t = t_i, t'' = t_{i+1},
 * t' = (t + t'')/2 (the teacher's grid of 2N steps); z_t = α_t x0 + σ_t ε, the teacher's
 * z_t' = DDIM(z_t; t → t'), z_t'' = DDIM(z_t'; t' → t'') (its {@code teacher.solver}; {@code ddim} in
 * the paper), and the target is the x0 that makes one DDIM step from z_t land on z_t'':
 *
 * <p>x̃ = (z_t'' − (σ_t''/σ_t) z_t) / (α_t'' − (σ_t''/σ_t) α_t) = (r y'' − r'' y)/(r − r'') with
 * y = z/α, r = σ/α (x̃ = z_t''/α_t'' when σ_t'' = 0);
 *
 * <p>loss ω(λ_t)·‖x̃ − x̂0_θ(z_t)‖², ω = max(SNR, 1) (the paper's truncated-SNR weighting, §4), SNR + 1 or 1.
 * The student starts at the teacher's weights ({@link Need#INIT}) unless {@code init} is false. The
 * grid is laid on the teacher's schedule: the student must use the teacher's schedule (as it uses its
 * network and parameterisation to start from its weights).
 *
 * <p>Stage two of guidance distillation (Meng et al. 2023, "On Distillation of Guided Diffusion
 * Models", §4.1): with {@code w_max} &gt;= 0 each example draws w ~ U[w_min, w_max] (as
 * {@link GuidanceDistillation}) and both the student x̂_θ(z_t, w, c) and the teacher's two steps read
 * that w ({@link org.diffuse4j.api.Condition#scale()}); the teacher is a run that reads w itself (a
 * guidance-distilled run, or the previous round), evaluated without its own guidance so each row steps
 * at its own w. Sample the student with {@code guidance: {name: distilled, scale: w}}.
 */
public final class ProgressiveDistillation implements Objective {
  /** The loss weight ω(λ_t) of the paper's §4. */
  public enum Weight {
    /** max(SNR, 1), "truncated SNR". */
    TRUNCATED_SNR("truncated-snr"),
    /** SNR + 1, "SNR+1". */
    SNR_PLUS_ONE("snr+1"),
    /** 1. */
    NONE("none");

    private final String spec;

    Weight(String spec) {
      this.spec = spec;
    }

    /** The weight of the manifest's name (truncated-snr, snr+1 or none). */
    public static Weight of(String name) {
      for (Weight w : values()) {
        if (w.spec.equals(name.toLowerCase(Locale.ROOT))) {
          return w;
        }
      }
      throw new IllegalArgumentException("weight '" + name
          + "' is not one of truncated-snr, snr+1, none");
    }

    /** ω at snr = α²/σ². */
    public double at(double snr) {
      return switch (this) {
        case TRUNCATED_SNR -> Math.max(snr, 1.0);
        case SNR_PLUS_ONE -> snr + 1.0;
        case NONE -> 1.0;
      };
    }
  }

  private final int steps;
  private final double tMax;
  private final double tMin;
  private final Weight weight;
  private final boolean init;
  private final double wMin;
  private final double wMax;

  /**
   * @param studentSteps N, the student's number of DDIM steps (the teacher takes 2N)
   * @param tMax the grid's first time; negative = the schedule's tMax
   * @param tMin the grid's last time; negative = the schedule's tMin, 0 = data (the paper's grid)
   * @param weight the loss weight ω
   * @param init start the student at the teacher's weights (the paper)
   */
  public ProgressiveDistillation(int studentSteps, double tMax, double tMin, Weight weight, boolean init) {
    this(studentSteps, tMax, tMin, weight, init, 0, -1);
  }

  /**
   * Progressive distillation of a w-reading teacher into a w-reading student (Meng et al. 2023 stage two).
   *
   * @param studentSteps N, the student's number of DDIM steps (the teacher takes 2N)
   * @param tMax the grid's first time; negative = the schedule's tMax
   * @param tMin the grid's last time; negative = the schedule's tMin, 0 = data (the paper's grid)
   * @param weight the loss weight ω
   * @param init start the student at the teacher's weights (the paper)
   * @param wMin the smallest guidance scale drawn
   * @param wMax the largest guidance scale drawn; negative = no guidance scale (plain progressive distillation)
   */
  public ProgressiveDistillation(int studentSteps, double tMax, double tMin, Weight weight, boolean init, double wMin,
      double wMax) {
    if (wMax >= 0 && !(wMin >= 0 && wMax >= wMin && Double.isFinite(wMax))) {
      throw new IllegalArgumentException("progressive-distillation with a guidance scale needs 0 <= w_min <= w_max, got "
          + "w_min=" + wMin + ", w_max=" + wMax);
    }
    this.wMin = wMin;
    this.wMax = wMax;
    if (studentSteps < 1) {
      throw new IllegalArgumentException("progressive-distillation needs student_steps >= 1, got " + studentSteps);
    }
    this.steps = studentSteps;
    this.tMax = tMax;
    this.tMin = tMin;
    this.weight = weight;
    this.init = init;
  }

  /**
   * The student's grid t_0 &gt; … &gt; t_N on {@code schedule}; sample the student with {@code ddim},
   * {@code sampling.steps: N} and the uniform grid with the same bounds to land on these times.
   */
  public double[] grid(Schedule schedule) {
    double hi = tMax < 0 ? schedule.tMax() : tMax;
    double lo = tMin < 0 ? schedule.tMin() : tMin;
    if (!(hi <= schedule.tMax() && lo >= 0 && hi > lo)) {
      throw new IllegalArgumentException("progressive-distillation needs 0 <= t_min < t_max <= the schedule's tMax ("
          + schedule.tMax() + ", where α > 0: the teacher steps in x/α), got t_max=" + hi + ", t_min=" + lo);
    }
    double[] t = new double[steps + 1];
    for (int k = 0; k <= steps; k++) {
      t[k] = hi + (lo - hi) * k / steps;
    }
    t[0] = hi;
    t[steps] = lo;
    return t;
  }

  /** The student's grid ({@link #grid}): it has learnt one DDIM step between adjacent times of it only. */
  @Override
  public double[] samplingGrid(Schedule schedule) {
    return grid(schedule);
  }

  @Override
  public boolean feedsGuidanceScale() {
    return wMax >= 0;
  }

  @Override
  public boolean feedsTeacherGuidanceScale() {
    return wMax >= 0;
  }

  /**
   * Each example's guidance scale w ~ U[w_min, w_max] (the construction of {@link GuidanceDistillation#scales}).
   *
   * @param b the batch
   * @return w, a [B, 1] column
   * @throws IllegalStateException if this objective has no guidance scale (w_max &lt; 0)
   */
  public Tensor scales(TrainingBatch b) {
    if (wMax < 0) {
      throw new IllegalStateException("this progressive-distillation has no guidance scale (w_max < 0)");
    }
    return GuidanceDistillation.scales(b, wMin, wMax);
  }

  @Override
  public Set<Need> needs() {
    return init ? EnumSet.of(Need.TEACHER, Need.INIT) : EnumSet.of(Need.TEACHER);
  }

  /** The start t_i of student step i, i uniform in 0 … N − 1 (non-decreasing in u: i = N − 1 − ⌊uN⌋). */
  @Override
  public double sampleTime(Schedule schedule, double u) {
    int i = steps - 1 - Math.min((int) (u * steps), steps - 1);
    return grid(schedule)[i];
  }

  @Override
  public boolean pairsTimes() {
    return true;
  }

  /** The end t'' = t_{i+1} of the student step that starts at the grid time nearest {@code t}. */
  @Override
  public double pairedTime(Schedule schedule, double t, long step) {
    double[] g = grid(schedule);
    return g[index(g, t) + 1];
  }

  /** ω(λ_t) at SNR = α²/σ². */
  @Override
  public double weight(Schedule schedule, double t) {
    double r = schedule.sigma(t) / schedule.alpha(t);
    return weight.at(1.0 / (r * r));
  }

  /** i of the start time t_i (0 … N − 1) nearest {@code t}. */
  private int index(double[] g, double t) {
    int best = 0;
    for (int i = 1; i < steps; i++) {
      if (Math.abs(g[i] - t) < Math.abs(g[best] - t)) {
        best = i;
      }
    }
    return best;
  }

  @Override
  public Tensor loss(TrainingBatch b, Network network, Parameterisation param) {
    throw new IllegalStateException("progressive-distillation needs a teacher: give the manifest 'teacher: {run: DIR, "
        + "solver: ddim}' (the previous round's run)");
  }

  @Override
  public Tensor loss(TrainingBatch b, TrainingNetworks networks, Parameterisation param) {
    Teacher teacher = networks.teacher();
    if (teacher == null) {
      return loss(b, networks.network(), param);
    }
    Tensor x = b.xt();
    Condition c = b.condition();
    Tensor target;
    if (feedsGuidanceScale()) {
      c = c.withScale(scales(b));
      target = target(b, teacher, c);
    } else {
      target = target(b, teacher);
    }
    Tensor x0 = param.interpret(networks.network().apply(param.networkInput(x, b.point()), param.networkTime(b.point()),
        c), x, b.point()).x0();
    return target.minus(x0).square().sumPerSample().times(b.weight().reshape(-1));
  }

  /**
   * The target x̃ of each row: the teacher's two steps t → t' → t'' from z_t = α x0 + σ ε, then the x0
   * whose one DDIM step from z_t lands on z_t''; gradient stopped.
   *
   * @param b the batch, with t (start) as its point and t'' (end) as its paired point
   * @param teacher the previous round's model and its ODE solver
   * @return x̃, shape of x0
   */
  public Tensor target(TrainingBatch b, Teacher teacher) {
    return target(b, teacher, b.condition());
  }

  /**
   * The target x̃ with the teacher evaluated at condition {@code c}; when {@code c} carries a guidance
   * scale (one per row, stage two of Meng et al. 2023) the teacher's model reads it directly, without
   * the teacher's own guidance (which would put its fixed scale in its place), so each row takes its two
   * steps at its own w.
   *
   * @param b the batch, with t (start) as its point and t'' (end) as its paired point
   * @param teacher the previous round's model and its ODE solver
   * @param c the condition the teacher steps with: the batch's, or the batch's with each row's w
   * @return x̃, shape of x0
   */
  public Tensor target(TrainingBatch b, Teacher teacher, Condition c) {
    if (c.hasScale()) {
      teacher = new Teacher(teacher.model(), null, teacher.schedule(), teacher.solver());
    }
    PathPoint p = b.point();
    PathPoint q = b.paired();
    Tensor x = b.xt();
    Schedule schedule = teacher.schedule();
    double[] g = grid(schedule);
    // each row's step i: how many midpoints between adjacent start times lie above its t
    Tensor one = p.t().zerosLike().plus(1);
    Tensor level = p.t().zerosLike();
    for (int i = 0; i < steps - 1; i++) {
      level = level.plus(p.t().minus(0.5 * (g[i] + g[i + 1])).wherePositive(p.t().zerosLike(), one));
    }
    double[] from = new double[steps];
    double[] mid = new double[steps];
    double[] to = new double[steps];
    for (int i = 0; i < steps; i++) {
      from[i] = ratio(schedule, g[i]);
      mid[i] = ratio(schedule, 0.5 * (g[i] + g[i + 1]));
      to[i] = ratio(schedule, g[i + 1]);
    }
    Tensor y = x.div(p.alpha());
    Tensor yMid = teacher.stepRows(y, level, from, mid, c, b.noise());
    Tensor yEnd = teacher.stepRows(yMid, level, mid, to, c, b.noise());
    Tensor r = p.sigma().div(p.alpha());
    Tensor rEnd = q.sigma().div(q.alpha());
    return yEnd.times(r).minus(y.times(rEnd)).div(r.minus(rEnd)).stopGradient();
  }

  /** σ/α at t on the teacher's schedule (0 at data). */
  private static double ratio(Schedule schedule, double t) {
    return schedule.sigma(t) / schedule.alpha(t);
  }
}
