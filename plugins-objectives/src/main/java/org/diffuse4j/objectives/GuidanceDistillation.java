package org.diffuse4j.objectives;

import java.util.List;
import java.util.Set;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Teacher;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.TrainingNetworks;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.objectives.ProgressiveDistillation.Weight;

/**
 * Guidance distillation, stage one (Meng et al. 2023, "On Distillation of Guided Diffusion Models",
 * CVPR, §4.1, eq. 6): a student x̂_θ(z_t, w, c) that reads the guidance scale learns the teacher's
 * classifier-free-guided prediction in one evaluation. Each example draws w ~ U[w_min, w_max] and
 * t ~ U[t_min, t_max] of the schedule; z_t = α_t x0 + σ_t ε; the target is the teacher's guided x̂0 in
 * the project's CFG convention (docs/guidance.md: 1 = conditional model),
 *
 * <p>x̂^w = x̂_u + w (x̂_c − x̂_u)  (Meng et al.'s (1 + w')x̂_c − w'x̂_u is w = 1 + w'),
 *
 * <p>and the loss is ω(λ_t)·‖x̂^w − x̂_θ(z_t, w, c)‖² in x space, ω the truncated SNR max(SNR, 1) of
 * progressive distillation (as the paper), SNR + 1 or 1. w is fed in {@link Condition#scale()}, so the
 * network must read it ({@code guidance_input: true}); sample the student with {@code guidance:
 * {name: distilled, scale: w}}. The teacher ({@code teacher: {run: DIR}}) is a class-conditional run
 * trained with condition dropout; its own guidance plugin is not used (the objective forms the CFG
 * combination at each example's w) and it must share the student's schedule (the teacher is read at
 * the student's (α, σ)). The uniform u of w is exp(−(z₁² + z₂²)/2) of two counter-based normal
 * streams (the Rayleigh construction CTM uses), so w depends only on (seed, sample index).
 */
public final class GuidanceDistillation implements Objective {
  /** Noise streams of the two normals that give each example's uniform u of w. */
  static final long STREAM_W1 = 0x6D15_0001L;

  static final long STREAM_W2 = 0x6D15_0002L;

  private final double wMin;
  private final double wMax;
  private final Weight weight;
  private final boolean init;
  private final Schedule schedule; // the run's, from bind; null before

  /**
   * @param wMin the smallest guidance scale drawn
   * @param wMax the largest guidance scale drawn, at least {@code wMin}
   * @param weight the loss weight ω(λ_t)
   * @param init whether the student starts at the teacher run's weights ({@link Need#INIT}; its weights
   *     that read w, which the teacher lacks, start at zero, so it starts as the conditional teacher)
   */
  public GuidanceDistillation(double wMin, double wMax, Weight weight, boolean init) {
    this(wMin, wMax, weight, init, null);
  }

  private GuidanceDistillation(double wMin, double wMax, Weight weight, boolean init, Schedule schedule) {
    if (!(wMin >= 0 && wMax >= wMin && Double.isFinite(wMax))) {
      throw new IllegalArgumentException("guidance-distillation needs 0 <= w_min <= w_max, got w_min=" + wMin
          + ", w_max=" + wMax);
    }
    this.wMin = wMin;
    this.wMax = wMax;
    this.weight = weight;
    this.init = init;
    this.schedule = schedule;
  }

  @Override
  public Set<Need> needs() {
    return init ? Set.of(Need.TEACHER, Need.INIT) : Set.of(Need.TEACHER);
  }

  @Override
  public boolean feedsGuidanceScale() {
    return true;
  }

  @Override
  public Objective bind(Schedule s) {
    return new GuidanceDistillation(wMin, wMax, weight, init, s);
  }

  /** t uniform on the schedule's [tMin, tMax] (the paper's continuous-time t ~ U[0, 1]). */
  @Override
  public double sampleTime(Schedule s, double u) {
    return s.tMin() + (s.tMax() - s.tMin()) * u;
  }

  /** ω(λ_t) at SNR = α²/σ². */
  @Override
  public double weight(Schedule s, double t) {
    double r = s.sigma(t) / s.alpha(t);
    return weight.at(1.0 / (r * r));
  }

  @Override
  public Tensor loss(TrainingBatch b, Network network, Parameterisation param) {
    throw new IllegalStateException("guidance-distillation needs a teacher: give the manifest 'teacher: {run: DIR}' "
        + "(a class-conditional run trained with objective.p_uncond > 0)");
  }

  @Override
  public Tensor loss(TrainingBatch b, TrainingNetworks networks, Parameterisation param) {
    Teacher teacher = networks.teacher();
    if (teacher == null) {
      return loss(b, networks.network(), param);
    }
    requireSameSchedule(teacher);
    Tensor w = scales(b);
    Tensor target = target(b, teacher, w);
    Tensor x = b.xt();
    Tensor x0 = param.interpret(networks.network().apply(param.networkInput(x, b.point()), param.networkTime(b.point()),
        b.condition().withScale(w)), x, b.point()).x0();
    return target.minus(x0).square().sumPerSample().times(b.weight().reshape(-1));
  }

  /**
   * Each example's guidance scale w = w_min + (w_max − w_min)·u, u = exp(−(z₁² + z₂²)/2) uniform on
   * (0, 1] from two counter-based normal streams.
   *
   * @param b the batch
   * @return w, a [B, 1] column
   */
  public Tensor scales(TrainingBatch b) {
    return scales(b, wMin, wMax);
  }

  /** w = w_min + (w_max − w_min)·u per example, as {@link #scales(TrainingBatch)}; a [B, 1] column. */
  static Tensor scales(TrainingBatch b, double wMin, double wMax) {
    Tensor like = b.point().t().zerosLike().reshape(-1, 1);
    Tensor z1 = b.noise().gaussian(STREAM_W1, like);
    Tensor z2 = b.noise().gaussian(STREAM_W2, like);
    Tensor u = z1.square().plus(z2.square()).times(-0.5).exp();
    return u.times(wMax - wMin).plus(wMin);
  }

  /**
   * The teacher's classifier-free-guided x̂0 at each example's z_t and scale: x̂_u + w (x̂_c − x̂_u),
   * gradient stopped.
   *
   * @param b the batch (labelled: the conditional prediction needs the class)
   * @param teacher the teacher, on the student's schedule
   * @param w each example's guidance scale, a [B, 1] column
   * @return x̂^w, shape of x0
   */
  public Tensor target(TrainingBatch b, Teacher teacher, Tensor w) {
    if (!b.condition().isConditional()) {
      throw new IllegalArgumentException("guidance-distillation distils classifier-free guidance, which needs class "
          + "labels, but the data set has none; use labelled data (e.g. data: 8-gaussians) and a class-conditional teacher");
    }
    Tensor x = b.xt();
    PathPoint p = b.point();
    List<Prediction> both = teacher.model().predictAll(x, p, List.of(Condition.of(b.condition().labels()), Condition.none()));
    Tensor c = both.get(0).x0();
    Tensor u = both.get(1).x0();
    long[] shape = x.shape().asArray();
    long[] column = new long[shape.length];
    java.util.Arrays.fill(column, 1);
    column[0] = -1;
    return u.plus(c.minus(u).times(w.reshape(column))).stopGradient();
  }

  /** The teacher is read at the student's (α, σ): their schedules must agree. */
  private void requireSameSchedule(Teacher teacher) {
    if (schedule == null) {
      return;
    }
    Schedule s = teacher.schedule();
    for (int k = 1; k < 10; k++) {
      double t = schedule.tMin() + (schedule.tMax() - schedule.tMin()) * k / 10.0;
      if (Math.abs(s.alpha(t) - schedule.alpha(t)) > 1e-9 || Math.abs(s.sigma(t) - schedule.sigma(t)) > 1e-9) {
        throw new IllegalArgumentException("guidance-distillation reads the teacher at the student's (α, σ), but the "
            + "teacher's schedule differs from this run's (at t = " + t + ": α " + s.alpha(t) + " vs " + schedule.alpha(t)
            + "); give the student the teacher's schedule");
      }
    }
  }
}
