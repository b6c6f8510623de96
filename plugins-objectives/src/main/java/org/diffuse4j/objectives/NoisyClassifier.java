package org.diffuse4j.objectives;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TrainingBatch;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * A time-dependent classifier on noisy samples, for classifier guidance (Dhariwal &amp; Nichol 2021;
 * Song et al. 2021, §I): ℓ_i = −log softmax(f(x_t, t))_{y_i} = logsumexp_k f_k − f_{y_i}, with
 * x_t = α x0 + σ ε from the run's schedule. The network is called as f(x_t, t, none) and returns
 * logits of shape [B, K]; labels y come from the batch's condition. The parameterisation is unused.
 */
public final class NoisyClassifier implements Objective {
  private final TimeDensity time;

  public NoisyClassifier(TimeDensity time) {
    this.time = time;
  }

  /** t = F⁻¹(u); densities defined through the schedule use the run's. */
  @Override
  public double sampleTime(Schedule schedule, double u) {
    return time.sample(schedule, u);
  }

  @Override
  public Tensor loss(TrainingBatch b, Network network, Parameterisation param) {
    if (b.condition() == null || !b.condition().isConditional()) {
      throw new IllegalArgumentException("noisy-classifier needs class labels in the batch condition");
    }
    Tensor logits = network.apply(b.xt(), b.point().t(), Condition.none());
    if (logits.rank() != 2 || logits.shape().get(1) < 1) {
      throw new IllegalArgumentException("noisy-classifier needs logits of shape [B, K], got " + logits.shape());
    }
    Ops tf = logits.backend().tf();
    int classes = (int) logits.shape().get(1);
    Operand<TInt32> y = tf.dtypes.cast(b.condition().labels().op(), TInt32.class);
    @SuppressWarnings({"unchecked", "rawtypes"})
    Operand<TNumber> oneHot =
        (Operand) tf.oneHot(y, tf.constant(classes), tf.dtypes.cast(tf.constant(1.0), (Class) logits.backend().floatType()),
            tf.dtypes.cast(tf.constant(0.0), (Class) logits.backend().floatType()));
    Tensor max = logits.backend().wrap(tf.reduceMax(logits.op(), tf.constant(new int[] {1}), org.tensorflow.op.core.ReduceMax.keepDims(true))).stopGradient();
    Tensor lse = logits.minus(max).exp().sum(1).log().plus(max.reshape(-1));
    Tensor picked = logits.times(logits.backend().wrap(oneHot)).sum(1);
    return lse.minus(picked);
  }
}
