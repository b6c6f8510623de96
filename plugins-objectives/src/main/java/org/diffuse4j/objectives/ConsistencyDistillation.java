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
 * Consistency distillation (Song et al. 2023, Consistency Models, Alg. 2 and eq. 7), in r = σ/α:
 * levels r_1 … r_N (Karras, ρ), n uniform in 1 … N − 1, x_{n+1} = α x0 + σ ε at r_{n+1}, the
 * teacher's x̂_n from one step of its ODE solver from r_{n+1} to r_n, and the loss
 * d(f_θ(x_{n+1}, r_{n+1}), f_θ⁻(x̂_n, r_n)) with θ⁻ the EMA target (stopped gradients), d the squared
 * L2 distance or the pseudo-Huber √(‖a − b‖² + c²) − c (Song &amp; Dhariwal 2023), λ = 1. The
 * consistency function f is the run's parameterisation's x̂0 (with {@code edm}: c_skip x/α + c_out F).
 */
public final class ConsistencyDistillation implements Objective {
  /** The distance d of the loss. */
  public enum Distance { L2, PSEUDO_HUBER }

  private final double[] r;
  private final Distance distance;
  private final double huberC;
  private final double targetDecay;

  /**
   * @param huberC c of the pseudo-Huber distance; a negative value means 0.00054·√dim (Song &amp;
   *     Dhariwal 2023, §3.3)
   */
  public ConsistencyDistillation(int levels, double rMin, double rMax, double rho, Distance distance, double huberC) {
    this(levels, rMin, rMax, rho, distance, huberC, -1);
  }

  /** As above, with the target's decay μ ({@link #targetDecay()}; negative: the run's EMA). */
  public ConsistencyDistillation(int levels, double rMin, double rMax, double rho, Distance distance, double huberC,
      double targetDecay) {
    if (!(levels >= 2 && rMin > 0 && rMax > rMin && rho > 0 && targetDecay < 1)) {
      throw new IllegalArgumentException("consistency-distillation needs levels >= 2, 0 < sigma_min < sigma_max, rho > 0 "
          + "and target_ema < 1");
    }
    this.targetDecay = targetDecay;
    this.r = ConsistencyTraining.karras(rMin, rMax, rho, levels);
    this.distance = distance;
    this.huberC = huberC;
  }

  @Override
  public double targetDecay() {
    return targetDecay;
  }

  /** The levels r_1 … r_N of σ/α. */
  public double[] levels() {
    return r.clone();
  }

  @Override
  public Set<Need> needs() {
    return EnumSet.of(Need.TEACHER, Need.TARGET);
  }

  /** The upper level r_{n+1}, n uniform in 1 … N − 1, as a time of the schedule. */
  @Override
  public double sampleTime(Schedule schedule, double u) {
    int n = Math.min((int) (u * (r.length - 1)), r.length - 2);
    return schedule.timeOfLambda(-Math.log(r[n + 1]));
  }

  @Override
  public boolean pairsTimes() {
    return true;
  }

  /** The level r_n just below the level of t. */
  @Override
  public double pairedTime(Schedule schedule, double t, long step) {
    return schedule.timeOfLambda(-Math.log(r[pair(schedule.sigma(t) / schedule.alpha(t))]));
  }

  /** n (0-based) of the pair (r_n, r_{n+1}) whose upper level is closest to rt in log. */
  private int pair(double rt) {
    int best = 1;
    for (int i = 2; i < r.length; i++) {
      if (Math.abs(Math.log(r[i] / rt)) < Math.abs(Math.log(r[best] / rt))) {
        best = i;
      }
    }
    return best - 1;
  }

  @Override
  public Tensor loss(TrainingBatch b, Network network, Parameterisation param) {
    throw new IllegalStateException("consistency-distillation needs a teacher and an EMA target: give the manifest "
        + "'teacher: {run: DIR}' and training.ema > 0");
  }

  @Override
  public Tensor loss(TrainingBatch b, TrainingNetworks networks, Parameterisation param) {
    Teacher teacher = networks.teacher();
    Network target = networks.target();
    if (teacher == null || target == null) {
      return loss(b, networks.network(), param);
    }
    PathPoint p = b.point();
    PathPoint q = b.paired();
    Tensor x = b.xt();
    // the pair index of each row: how many midpoints between adjacent upper levels lie below its ln r
    Tensor lnR = p.sigma().div(p.alpha()).log();
    Tensor one = lnR.zerosLike().plus(1);
    Tensor level = lnR.zerosLike();
    for (int i = 1; i < r.length - 1; i++) {
      double mid = 0.5 * (Math.log(r[i]) + Math.log(r[i + 1]));
      level = level.plus(lnR.minus(mid).wherePositive(one, lnR.zerosLike()));
    }
    double[] from = new double[r.length - 1];
    double[] to = new double[r.length - 1];
    for (int n = 0; n < r.length - 1; n++) {
      from[n] = r[n + 1];
      to[n] = r[n];
    }
    Tensor xHat = teacher.stepRows(x.div(p.alpha()), level, from, to, b.condition(), b.noise()).times(q.alpha());
    Tensor f = param.interpret(network(networks.network(), param, x, p, b), x, p).x0();
    Tensor fTarget = param.interpret(network(target, param, xHat, q, b), xHat, q).x0().stopGradient();
    Tensor sq = f.minus(fTarget).square().sumPerSample();
    if (distance == Distance.L2) {
      return sq;
    }
    double c = huberC >= 0 ? huberC : 0.00054 * Math.sqrt(dim(x));
    return sq.plus(c * c).sqrt().minus(c);
  }

  private static Tensor network(Network net, Parameterisation param, Tensor x, PathPoint p, TrainingBatch b) {
    return net.apply(param.networkInput(x, p), param.networkTime(p), b.condition());
  }

  private static long dim(Tensor x) {
    long d = 1;
    for (int i = 1; i < x.rank(); i++) {
      d *= x.shape().size(i);
    }
    return d;
  }
}
