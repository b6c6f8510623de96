package org.diffuse4j.objectives;

import java.util.ArrayList;
import java.util.EnumSet;
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
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;

/**
 * Continuous-time consistency distillation, sCD (Lu &amp; Song 2024, eq. 8 and Alg. 1): the loss of
 * {@link ContinuousConsistencyTraining} with the tangent direction taken from a frozen teacher,
 * dx_τ/dτ = cos τ·σ_d ε̂ − sin τ·x̂0 with (x̂0, ε̂) the teacher's prediction at the same σ/α (the
 * paper's σ_d F_pretrain(x_τ/σ_d, τ)), on the teacher's own schedule at the time with that σ/α.
 * With K = 0 levels (the paper's) times are continuous, ln(σ/α) ~ N(P_mean, P_std²) as sCT's, and the
 * teacher is evaluated at each row's own time on its schedule ({@link TrainingBatch#teacherPoint()},
 * which the trainer feeds). With K &gt; 0 times are K levels, the quantiles (k + ½)/K of that normal,
 * and the teacher is evaluated at a scalar time per level: the rows are split by level
 * (DynamicPartition), each part is predicted and the parts are stitched back. One teacher evaluation
 * per example either way.
 */
public final class ContinuousConsistencyDistillation implements Objective {
  private final ContinuousConsistencyTraining sct;
  private final double sigmaData;
  private final double[] r;

  /**
   * @param sigmaData σ_d of TrigFlow
   * @param pMean mean of ln(σ/α)
   * @param pStd standard deviation of ln(σ/α)
   * @param c the tangent normalisation's offset
   * @param warmupSteps H of the tangent warm-up; 0 for r = 1
   * @param levels K, the number of σ/α levels; 0 for continuous times
   */
  public ContinuousConsistencyDistillation(double sigmaData, double pMean, double pStd, double c, long warmupSteps,
      int levels, boolean adaptive) {
    if (levels < 0) {
      throw new IllegalArgumentException("scd needs levels >= 0 (0: continuous times), got " + levels);
    }
    this.sct = new ContinuousConsistencyTraining(sigmaData, pMean, pStd, c, warmupSteps, adaptive);
    this.sigmaData = sigmaData;
    this.r = new double[levels];
    for (int k = 0; k < levels; k++) {
      r[k] = Math.exp(pMean + pStd * NormalQuantile.of((k + 0.5) / levels));
    }
  }

  /** The levels r_k of σ/α, ascending. */
  public double[] levels() {
    return r.clone();
  }

  @Override
  public Set<Need> needs() {
    return sct.adaptive() ? EnumSet.of(Need.TEACHER, Need.WEIGHTING) : EnumSet.of(Need.TEACHER);
  }

  /** The level r_k, k = ⌊uK⌋, as a time of the schedule (kept in [tMin, tMax]); with K = 0 sCT's continuous time. */
  @Override
  public double sampleTime(Schedule schedule, double u) {
    if (r.length == 0) {
      return sct.sampleTime(schedule, u);
    }
    int k = Math.min((int) (u * r.length), r.length - 1);
    double t = schedule.timeOfLambda(-Math.log(r[k]));
    return schedule.clamp(t);
  }

  @Override
  public Tensor loss(TrainingBatch b, Network network, Parameterisation param) {
    throw new IllegalStateException("scd needs a teacher: give the manifest 'teacher: {run: DIR}'");
  }

  @Override
  public Tensor loss(TrainingBatch b, TrainingNetworks networks, Parameterisation param) {
    if (networks.teacher() == null) {
      return loss(b, networks.network(), param);
    }
    PathPoint p = b.point();
    Tensor warm = sct.warmup(b);
    Tensor x = b.xt();
    Tensor v = r.length == 0 ? teacherVelocity(networks.teacher(), x.div(p.alpha()), p, b.teacherPoint(), b.condition())
        : teacherVelocity(networks.teacher(), x.div(p.alpha()), p, b.condition());
    return networks.weigh(sct.loss(x, p, v, warm, b.condition(), networks.network(), param), p);
  }

  /**
   * The teacher's TrigFlow velocity cos τ·σ_d ε̂ − sin τ·x̂0 at y = x/α, each row at its own σ/α:
   * the teacher reads x = α_T y at {@code atTeacher}, its schedule's point with the same σ/α;
   * gradient stopped.
   */
  public Tensor teacherVelocity(Teacher teacher, Tensor y, PathPoint p, PathPoint atTeacher, Condition c) {
    if (atTeacher == null) {
      throw new IllegalStateException("scd with continuous times (levels: 0) reads the teacher at each example's own "
          + "time, which the trainer feeds in TrainingBatch.teacherPoint(); none was given");
    }
    Prediction pred = teacher.denoiser(c).predict(y.times(atTeacher.alpha()), atTeacher);
    Tensor ratio = p.sigma().div(p.alpha());
    Tensor norm = ratio.square().plus(sigmaData * sigmaData).sqrt();
    return pred.eps().times(norm.rdiv(sigmaData * sigmaData)).minus(pred.x0().times(ratio.div(norm))).stopGradient();
  }

  /**
   * The teacher's TrigFlow velocity cos τ·σ_d ε̂ − sin τ·x̂0 at y = x/α, each row at its level's σ/α
   * (the level whose ln r is nearest the row's), gradient stopped.
   */
  public Tensor teacherVelocity(Teacher teacher, Tensor y, PathPoint p, Condition c) {
    Tensor lnR = p.sigma().div(p.alpha()).log();
    Tensor one = lnR.zerosLike().plus(1);
    Tensor level = lnR.zerosLike();
    for (int k = 0; k < r.length - 1; k++) {
      double mid = 0.5 * (Math.log(r[k]) + Math.log(r[k + 1]));
      level = level.plus(lnR.minus(mid).wherePositive(one, lnR.zerosLike()));
    }
    Ops tf = y.backend().tf();
    int n = r.length;
    Operand<TInt32> index = tf.dtypes.cast(tf.reshape(level.op(), tf.constant(new long[] {-1})), TInt32.class);
    Operand<TInt32> rows = tf.range(tf.constant(0), tf.gather(tf.shape(y.op(), TInt32.class), tf.constant(0), tf.constant(0)),
        tf.constant(1));
    var rowParts = tf.dynamicPartition(rows, index, (long) n).outputs();
    var yParts = tf.dynamicPartition(y.op(), index, (long) n).outputs();
    var labelParts = c.isConditional() ? tf.dynamicPartition(c.labels().op(), index, (long) n).outputs() : null;
    List<Operand<?>> parts = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      Condition ck = labelParts == null ? c : new Condition(y.backend().wrap(labelParts.get(k)));
      double tk = teacher.timeAt(r[k]);
      PathPoint pk = PathPoint.at(teacher.schedule(), tk, y.backend());
      Tensor yk = y.backend().wrap(yParts.get(k));
      Prediction pred = teacher.denoiser(ck).predict(yk.times(teacher.schedule().alpha(tk)), pk);
      double norm = Math.sqrt(r[k] * r[k] + sigmaData * sigmaData);
      parts.add(pred.eps().times(sigmaData * sigmaData / norm).minus(pred.x0().times(r[k] / norm)).op());
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    Operand<?> joined = tf.dynamicStitch((Iterable) rowParts, (Iterable) parts);
    long[] shape = y.shape().asArray();
    shape[0] = -1;
    return y.backend().wrap(joined).reshape(shape).stopGradient();
  }
}
