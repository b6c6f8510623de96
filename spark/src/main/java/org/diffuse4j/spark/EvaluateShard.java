package org.diffuse4j.spark;

import java.nio.file.Path;
import java.util.Arrays;
import org.apache.spark.api.java.function.Function;
import org.diffuse4j.runtime.eval.FashionClassifier;
import org.diffuse4j.runtime.eval.FeatureMoments;

/**
 * One task of a Spark {@code evaluate} job: the classifier over its slice of whole chunks
 * ({@link FashionClassifier#CHUNK} rows, so bitwise the outputs of one process), as
 * {@link FeatureMoments}.
 */
final class EvaluateShard implements Function<Slice, FeatureMoments> {
  private static final long serialVersionUID = 1L;
  private final String classifier;
  private final int[] labels;

  /** {@code labels}: the requested class of every global row, or null. */
  EvaluateShard(Path classifier, int[] labels) {
    this.classifier = classifier.toString();
    this.labels = labels == null ? null : labels.clone();
  }

  @Override
  public FeatureMoments call(Slice s) {
    try (FashionClassifier net = FashionClassifier.restore(Path.of(classifier))) {
      int[] mine = labels == null ? null : Arrays.copyOfRange(labels, (int) s.first(), (int) s.first() + s.n());
      return FeatureMoments.of(net.predict(s.x(), s.n(), FashionClassifier.CHUNK), s.n(), mine);
    }
  }
}
