package org.diffuse4j.objectives;

import java.util.EnumSet;
import java.util.Set;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.FlowMap;
import org.diffuse4j.api.FlowMapNetwork;
import org.diffuse4j.api.FlowMapParameterisation;
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
 * Consistency trajectory models (Kim et al. 2024, CTM, eq. 7–9 and Alg. 1) in our clock (data at 0):
 * Karras levels r_0 &lt; … &lt; r_{N−1} of σ/α; per example the start s = level i, i uniform in 1 … N − 1,
 * the end t = level j, j uniform in 0 … i − 1, and the teacher's time u = level k, k uniform in
 * j … i − 1; x_s = α_s x0 + σ_s ε; the teacher solves its ODE from s to u (one solver step per level
 * between, x̂_u); the loss is
 * d(G_sg(θ)(G_θ(x_s, s, t), t, 0), G_sg(θ)(sg G_θ⁻(x̂_u, u, t), t, 0)) + λ_DSM ‖x̂0_θ(x_s, s) − x0‖²,
 * G the run's flow map (e.g. CTM's (t/s)x + (1 − t/s)g_θ), θ⁻ the EMA target, G_sg(θ) the student's
 * map to the data with its weights held (the gradient flows through its input, not its weights),
 * x̂0_θ(x, s) the flow map's instantaneous prediction at t = s (the DSM term), d the squared L2
 * distance or the pseudo-Huber √(‖a − b‖² + c²) − c in data space (the paper's is LPIPS). The third
 * time u is drawn in the graph from two of the batch's Gaussian streams: U = exp(−(z₁² + z₂²)/2) is
 * uniform in (0, 1), k = j + ⌊U (i − j)⌋.
 */
public final class ConsistencyTrajectory implements Objective {
  private static final long STREAM_U1 = 0xC7A1L;
  private static final long STREAM_U2 = 0xC7A2L;

  private final double[] r;
  private final ConsistencyDistillation.Distance distance;
  private final double huberC;
  private final double lambdaDsm;
  private final double targetDecay;
  /** The run's schedule ({@link #bind}; null before): the loss needs the path points of the levels u. */
  private final Schedule schedule;

  /**
   * @param levels number N of Karras levels of σ/α
   * @param rMin smallest level r_0
   * @param rMax largest level r_{N−1}
   * @param rho ρ of the Karras levels
   * @param distance the distance d in data space
   * @param huberC c of the pseudo-Huber distance; negative means 0.00054·√dim
   * @param lambdaDsm weight λ_DSM of the denoising term (0: none)
   */
  public ConsistencyTrajectory(int levels, double rMin, double rMax, double rho, ConsistencyDistillation.Distance distance,
      double huberC, double lambdaDsm) {
    this(levels, rMin, rMax, rho, distance, huberC, lambdaDsm, -1);
  }

  /** As above, with the target's decay μ ({@link #targetDecay()}; negative: the run's EMA). */
  public ConsistencyTrajectory(int levels, double rMin, double rMax, double rho, ConsistencyDistillation.Distance distance,
      double huberC, double lambdaDsm, double targetDecay) {
    if (!(levels >= 2 && rMin > 0 && rMax > rMin && rho > 0 && lambdaDsm >= 0 && targetDecay < 1)) {
      throw new IllegalArgumentException("ctm needs levels >= 2, 0 < sigma_min < sigma_max, rho > 0, lambda_dsm >= 0 and target_ema < 1");
    }
    this.r = ConsistencyTraining.karras(rMin, rMax, rho, levels);
    this.distance = distance;
    this.huberC = huberC;
    this.lambdaDsm = lambdaDsm;
    this.targetDecay = targetDecay;
    this.schedule = null;
  }

  private ConsistencyTrajectory(ConsistencyTrajectory o, Schedule schedule) {
    this.r = o.r;
    this.distance = o.distance;
    this.huberC = o.huberC;
    this.lambdaDsm = o.lambdaDsm;
    this.targetDecay = o.targetDecay;
    this.schedule = schedule;
  }

  @Override
  public double targetDecay() {
    return targetDecay;
  }

  /** The levels r_0 … r_{N−1} of σ/α. */
  public double[] levels() {
    return r.clone();
  }

  @Override
  public Set<Need> needs() {
    return EnumSet.of(Need.TEACHER, Need.TARGET);
  }

  @Override
  public boolean trainsFlowMap() {
    return true;
  }

  private static double timeAt(Schedule schedule, double ratio) {
    return schedule.timeOfLambda(-Math.log(ratio));
  }

  /** The start s = level i, i uniform in 1 … N − 1. */
  @Override
  public double sampleTime(Schedule schedule, double u) {
    int i = 1 + Math.min((int) (u * (r.length - 1)), r.length - 2);
    return timeAt(schedule, r[i]);
  }

  /** This objective holding the run's schedule: the loss builds the path points of the teacher's levels u on it. */
  @Override
  public ConsistencyTrajectory bind(Schedule schedule) {
    return new ConsistencyTrajectory(this, schedule);
  }

  @Override
  public boolean pairsTimes() {
    return true;
  }

  /** The end t = level j, j uniform in 0 … i − 1 below the start's level i. */
  @Override
  public double pairedTime(Schedule schedule, double s, long step, double u) {
    int i = Math.max(1, nearest(schedule.sigma(s) / schedule.alpha(s)));
    return timeAt(schedule, r[Math.min((int) (u * i), i - 1)]);
  }

  /** CTM's end time is random: the trainer calls {@link #pairedTime(Schedule, double, long, double)}. */
  @Override
  public double pairedTime(Schedule schedule, double s, long step) {
    return pairedTime(schedule, s, step, 0.5);
  }

  /** The index of the level closest to {@code ratio} in log. */
  private int nearest(double ratio) {
    int best = 0;
    for (int i = 1; i < r.length; i++) {
      if (Math.abs(Math.log(r[i] / ratio)) < Math.abs(Math.log(r[best] / ratio))) {
        best = i;
      }
    }
    return best;
  }

  @Override
  public Tensor loss(TrainingBatch batch, Network network, Parameterisation param) {
    throw new IllegalStateException("ctm trains a flow map from a teacher and an EMA target: give the manifest "
        + "'parameterisation: ctm', a two-time network, 'teacher: {run: DIR}' and training.ema > 0");
  }

  /** Per-example loss [B] of the run's flow map (see the class comment). */
  @Override
  public Tensor loss(TrainingBatch b, TrainingNetworks networks, Parameterisation param) {
    FlowMapParameterisation fm = networks.flowMap();
    Teacher teacher = networks.teacher();
    if (fm == null || teacher == null || networks.target() == null) {
      return loss(b, networks.network(), param);
    }
    Schedule sch = schedule;
    if (sch == null) {
      throw new IllegalStateException("ctm: bind(schedule) must be called (with the run's schedule) before loss");
    }
    PathPoint s = b.point();
    PathPoint t = b.paired();
    Tensor i = levelIndex(s);
    Tensor j = levelIndex(t);
    Tensor z1 = b.noise().gaussian(STREAM_U1, s.t());
    Tensor z2 = b.noise().gaussian(STREAM_U2, s.t());
    Tensor uniform = z1.square().plus(z2.square()).times(-0.5).exp();
    Tensor k = floor(uniform.times(i.minus(j)), r.length - 1).plus(j).min(i.minus(1));
    Tensor xHat = teacherSolve(teacher, b.xt().div(s.alpha()), i, k, b).times(select(k, sch, Coefficient.ALPHA));
    PathPoint u = new PathPoint(select(k, sch, Coefficient.T), select(k, sch, Coefficient.ALPHA),
        select(k, sch, Coefficient.SIGMA), select(k, sch, Coefficient.ALPHA_DOT), select(k, sch, Coefficient.SIGMA_DOT));
    Tensor target = networks.targetFlowMap(b.condition()).jump(xHat, u, t).stopGradient();
    return loss(networks.studentFlowMap(b.condition()), target, b, sch)
        .plus(lambdaDsm == 0 ? b.xt().zerosLike().sumPerSample() : dsm(networks.network(), fm, b).times(lambdaDsm));
  }

  /**
   * d(G_sg(θ)(G(x_s, s, t), t, 0), G_sg(θ)(target, t, 0)) per example, for a given target end point
   * (gradients stopped); the gradient reaches G's weights only through G(x_s, s, t).
   *
   * @param student the student's flow map G
   * @param target the target end point at t, shape of x_s, gradient stopped
   * @param b the batch (x_s at {@code b.point()}, t = {@code b.paired()})
   * @param schedule the run's schedule (for the data end t = 0)
   * @return the distance of each example, shape [B]
   */
  public Tensor loss(FlowMap student, Tensor target, TrainingBatch b, Schedule schedule) {
    PathPoint t = b.paired();
    PathPoint zero = PathPoint.at(schedule, 0, b.x0().backend());
    Tensor a = student.jump(b.xt(), b.point(), t);
    Tensor aHeld = a.stopGradient();
    Tensor end = student.jump(aHeld, t, zero);
    Tensor endTarget = student.jump(target.stopGradient(), t, zero).stopGradient();
    Tensor d = distance(end, endTarget);
    // the map to the data with its weights held: value d, gradient (∂d/∂a)ᵀ ∂a/∂θ through a only
    Tensor w = d.sum().gradient(aHeld).stopGradient();
    return d.stopGradient().plus(w.times(a.minus(aHeld)).sumPerSample());
  }

  /** λ_DSM's term ‖x̂0_θ(x_s, s) − x0‖², x̂0 the flow map's instantaneous prediction (network at (s, s)). */
  private static Tensor dsm(Network network, FlowMapParameterisation fm, TrainingBatch b) {
    PathPoint s = b.point();
    Tensor x = b.xt();
    Tensor raw = FlowMapNetwork.of(network).jump(fm.networkInput(x, s), fm.networkTime(s), fm.networkTime(s), b.condition());
    return fm.instantaneous(raw, x, s).x0().minus(b.x0()).square().sumPerSample();
  }

  private Tensor distance(Tensor a, Tensor c) {
    Tensor sq = a.minus(c).square().sumPerSample();
    if (distance == ConsistencyDistillation.Distance.L2) {
      return sq;
    }
    long dim = 1;
    for (int n = 1; n < a.rank(); n++) {
      dim *= a.shape().size(n);
    }
    double h = huberC >= 0 ? huberC : 0.00054 * Math.sqrt(dim);
    return sq.plus(h * h).sqrt().minus(h);
  }

  /**
   * The teacher's ODE from level i down to level k ≤ i of each row, one solver step per level
   * (N − 1 rounds of {@link Teacher#stepRows}; a row that has reached its k stays).
   */
  private Tensor teacherSolve(Teacher teacher, Tensor y, Tensor i, Tensor k, TrainingBatch b) {
    double[] from = new double[r.length - 1];
    double[] to = new double[r.length - 1];
    for (int n = 0; n < r.length - 1; n++) {
      from[n] = r[n + 1];
      to[n] = r[n];
    }
    Tensor zero = i.zerosLike();
    Tensor one = zero.plus(1);
    Tensor level = i;
    for (int round = 0; round < r.length - 1; round++) {
      Tensor active = level.minus(k).minus(0.5).wherePositive(one, zero);
      Tensor stepped = teacher.stepRows(y, level.minus(1).max(zero), from, to, b.condition(), b.noise());
      y = active.plus(y.zerosLike()).wherePositive(stepped, y);
      level = level.minus(active);
    }
    return y;
  }

  /** Each row's level index (as a float column) from its σ/α: how many level midpoints lie below it in log. */
  private Tensor levelIndex(PathPoint p) {
    Tensor lnR = p.sigma().div(p.alpha()).log();
    Tensor zero = lnR.zerosLike();
    Tensor one = zero.plus(1);
    Tensor index = zero;
    for (int n = 0; n < r.length - 1; n++) {
      index = index.plus(lnR.minus(0.5 * (Math.log(r[n]) + Math.log(r[n + 1]))).wherePositive(one, zero));
    }
    return index;
  }

  /** ⌊x⌋ for 0 ≤ x ≤ max, as a count of the whole numbers 1 … max at or below x. */
  private static Tensor floor(Tensor x, int max) {
    Tensor zero = x.zerosLike();
    Tensor one = zero.plus(1);
    Tensor count = zero;
    for (int m = 1; m <= max; m++) {
      count = count.plus(x.minus(m - 1e-9).wherePositive(one, zero));
    }
    return count;
  }

  private enum Coefficient { T, ALPHA, SIGMA, ALPHA_DOT, SIGMA_DOT }

  /** The coefficient of level k of each row (a float column of indices) on the schedule. */
  private Tensor select(Tensor k, Schedule sch, Coefficient c) {
    Tensor zero = k.zerosLike();
    Tensor out = zero;
    for (int n = 0; n < r.length; n++) {
      double time = timeAt(sch, r[n]);
      double v = switch (c) {
        case T -> time;
        case ALPHA -> sch.alpha(time);
        case SIGMA -> sch.sigma(time);
        case ALPHA_DOT -> sch.alphaDot(time);
        case SIGMA_DOT -> sch.sigmaDot(time);
      };
      Tensor isN = k.minus(n - 0.5).wherePositive(zero.plus(1), zero).times(k.minus(n + 0.5).wherePositive(zero, zero.plus(1)));
      out = out.plus(isN.times(v));
    }
    return out;
  }
}
