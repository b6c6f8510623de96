package org.diffuse4j.guidance;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.Guidance;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Classifier guidance (Dhariwal &amp; Nichol 2021; seed 003 eq. 56): s̃ = s(x) + w(t)·∇ₓ log p(y | x, t),
 * i.e. ε̃ = ε̂ − w(t)·σ·∇ₓ log p(y | x, t), with the gradient of the classifier's log-softmax taken
 * through the graph ({@link Tensor#gradient}; graph mode only). With the unconditional base model and
 * w = 1 this is Bayes' rule, the exact conditional score; outside the guidance interval w = 1.
 * 2 evaluations per call: the model and the classifier (whose backward pass costs about two more).
 *
 * @param classifier the noise-aware classifier
 * @param scale w(t)
 * @param conditionalBase whether the base model is conditional on y (default: unconditional)
 */
public record ClassifierGuidance(Classifier classifier, ScaleSchedule scale, boolean conditionalBase)
    implements Guidance {

  public ClassifierGuidance {
    if (classifier == null) {
      throw new IllegalArgumentException("classifier guidance needs a classifier");
    }
    if (scale.scale() < 0) {
      throw new IllegalArgumentException("classifier guidance scale must be >= 0, got " + scale.scale());
    }
  }

  @Override
  public boolean needsConditionalModel() {
    return conditionalBase;
  }

  @Override
  public boolean needsLabels() {
    return true;
  }

  @Override
  public Denoiser guide(ConditionalDenoiser model, Condition condition) {
    if (!condition.isConditional()) {
      throw new IllegalArgumentException("classifier guidance needs class labels to guide towards; got no condition");
    }
    Condition base = conditionalBase ? condition : Condition.none();
    return new Guided("classifier w=" + scale.scale(), 2, (x, p) -> {
      Prediction pred = model.predict(x, p, base);
      Tensor grad = logLikelihood(x, p, condition.labels()).gradient(x);
      Tensor eps = pred.eps().minus(grad.times(p.sigma()).times(scale.at(p)));
      return Prediction.fromEps(x, p, eps);
    });
  }

  /** Σ_i log p(y_i | x_i, t): the log-softmax of the logits at each row's label (labels hold integer ids). */
  Tensor logLikelihood(Tensor x, PathPoint p, Tensor labels) {
    Tensor logits = classifier.logits(x, p);
    long k = logits.shape().size(1);
    if (logits.rank() != 2 || k < 1) {
      throw new IllegalArgumentException("classifier logits must have shape [B, K] with K known, got " + logits.shape());
    }
    double[] ids = new double[(int) k];
    for (int j = 0; j < k; j++) {
      ids[j] = j;
    }
    // one-hot of integer ids: 1 − (y − j)² clipped to [0, 1]
    Tensor oneHot = labels.reshape(-1, 1).minus(x.backend().constant(ids, 1, k)).square().rsub(1).clip(0, 1);
    Tensor logSoftmax = x.backend().wrap(x.backend().tf().nn.logSoftmax(logits.op()));
    return logSoftmax.times(oneHot).sum();
  }
}
