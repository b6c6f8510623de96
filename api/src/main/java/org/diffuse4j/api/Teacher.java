package org.diffuse4j.api;

import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;

/**
 * A frozen trained model that an objective distils from: its network and parameterisation
 * ({@code model}, weights fixed), its optional guidance (null = the model as is), its schedule and
 * the ODE solver whose step the student learns to match. Steps are given in the coordinates every
 * schedule shares, y = x/α and r = σ/α (the probability-flow ODE dy/dr = ε̂ is the same on every
 * schedule), so the student's schedule may differ from the teacher's: the teacher steps on its own
 * clock, at the times with the same σ/α.
 *
 * @param model the teacher's network and parameterisation, weights fixed
 * @param guidance the teacher's guidance, or null to use the model as is
 * @param schedule the teacher's own schedule, on which its steps are taken
 * @param solver the deterministic (ODE) solver whose step the student learns to match
 */
public record Teacher(ConditionalDenoiser model, Guidance guidance, Schedule schedule, Solver solver) {

  /**
   * Refuses a stochastic solver: a teacher step follows the probability-flow ODE.
   *
   * @param model the teacher's network and parameterisation, weights fixed
   * @param guidance the teacher's guidance, or null to use the model as is
   * @param schedule the teacher's own schedule
   * @param solver the teacher's solver; must not be stochastic
   * @throws IllegalArgumentException if {@code solver} draws noise (an SDE sampler)
   */
  public Teacher {
    if (solver.traits().stochastic()) {
      throw new IllegalArgumentException("the teacher's solver draws noise (an SDE sampler); a teacher step must "
          + "follow the probability-flow ODE: use an ODE solver such as heun, euler or dpmpp-2m");
    }
  }

  /**
   * The teacher as a solver sees it, guided for condition {@code c}.
   *
   * @param c the condition (class labels or none) to predict for
   * @return the teacher's (guided) denoiser for {@code c}
   */
  public Denoiser denoiser(Condition c) {
    return guidance == null ? (x, p) -> model.predict(x, p, c) : guidance.guide(model, c);
  }

  /**
   * The teacher's time at σ/α = r; r = 0 is the data, t = 0 (a step may end there: its x is x̂0).
   *
   * @param r the noise-to-signal ratio σ/α &gt;= 0, within the teacher schedule's range or 0
   * @return the time t on the teacher's schedule with σ(t)/α(t) = r, and 0 for r = 0
   */
  public double timeAt(double r) {
    return r == 0 ? 0.0 : schedule.timeOfLambda(-Math.log(r));
  }

  /**
   * One step of the teacher's solver on its probability-flow ODE from y = x/α at σ/α = rFrom to
   * σ/α = rTo &lt; rFrom (scalar for the whole batch); returns y at rTo, without gradient.
   *
   * @param y the scaled state x/α at σ/α = rFrom, shape [B, …]
   * @param rFrom the start noise-to-signal ratio σ/α
   * @param rTo the end noise-to-signal ratio σ/α, below {@code rFrom}; 0 ends at the data (t = 0)
   * @param c the condition: labels with one row per row of {@code y}, or none
   * @param noise the noise source handed to the solver (unused by an ODE step)
   * @return y = x/α at σ/α = rTo after one solver step, shape of {@code y}, gradient stopped
   */
  public Tensor step(Tensor y, double rFrom, double rTo, Condition c, NoiseSource noise) {
    double ts = timeAt(rFrom);
    double tt = timeAt(rTo);
    SamplingProblem problem = new SamplingProblem(denoiser(c), schedule, new double[] {ts, tt},
        y.times(schedule.alpha(ts)), noise);
    return solver.step(problem, solver.init(problem)).x().div(schedule.alpha(tt)).stopGradient();
  }

  /**
   * One teacher step per row: row i goes from {@code rFrom[k]} to {@code rTo[k]} with k its entry of
   * {@code level} (a [B] or [B, 1] column of whole numbers 0 … K−1 as floats). The rows are split by
   * level, each part takes its own scalar-time {@link #step}, and the parts are put back in row
   * order, so each row costs one step whatever the number of levels.
   *
   * @param y the scaled states x/α, one per row, shape [B, …]
   * @param level each row's level k, shape [B] or [B, 1], whole numbers 0 … K−1 as floats
   * @param rFrom the start σ/α of each level, length K
   * @param rTo the end σ/α of each level, length K, each below its {@code rFrom}
   * @param c the condition: labels with one row per row of {@code y}, or none; a [B] or [B, 1] guidance
   *     scale is split with the rows (a scalar one is shared), so a w-reading teacher steps each row at its w
   * @param noise the noise source handed to the solver (unused by an ODE step)
   * @return y = x/α after each row's step, shape of {@code y} in its row order, gradient stopped
   * @throws IllegalArgumentException if {@code rFrom} and {@code rTo} differ in length or are empty
   */
  public Tensor stepRows(Tensor y, Tensor level, double[] rFrom, double[] rTo, Condition c, NoiseSource noise) {
    if (rFrom.length != rTo.length || rFrom.length == 0) {
      throw new IllegalArgumentException("stepRows needs as many end levels as start levels, at least one");
    }
    Ops tf = y.backend().tf();
    int k = rFrom.length;
    Operand<TInt32> index = tf.dtypes.cast(tf.reshape(level.op(), tf.constant(new long[] {-1})), TInt32.class);
    Operand<TInt32> rows = tf.range(tf.constant(0), tf.gather(tf.shape(y.op(), TInt32.class), tf.constant(0), tf.constant(0)),
        tf.constant(1));
    var rowParts = tf.dynamicPartition(rows, index, (long) k).outputs();
    var yParts = tf.dynamicPartition(y.op(), index, (long) k).outputs();
    var labelParts = c.isConditional() ? tf.dynamicPartition(c.labels().op(), index, (long) k).outputs() : null;
    boolean perRowScale = c.hasScale() && c.scale().shape().numDimensions() > 0;
    var scaleParts = perRowScale ? tf.dynamicPartition(c.scale().op(), index, (long) k).outputs() : null;
    List<Operand<?>> stepped = new ArrayList<>();
    for (int j = 0; j < k; j++) {
      Tensor labels = labelParts == null ? c.labels() : y.backend().wrap(labelParts.get(j));
      Tensor scale = scaleParts == null ? c.scale() : y.backend().wrap(scaleParts.get(j));
      Condition cj = new Condition(labels, scale);
      stepped.add(step(y.backend().wrap(yParts.get(j)), rFrom[j], rTo[j], cj, noise).op());
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    Operand<?> joined = tf.dynamicStitch((Iterable) rowParts, (Iterable) stepped);
    long[] shape = y.shape().asArray();
    shape[0] = -1;
    return y.backend().wrap(joined).reshape(shape);
  }
}
