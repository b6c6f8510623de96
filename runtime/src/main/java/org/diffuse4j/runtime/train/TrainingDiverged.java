package org.diffuse4j.runtime.train;

/** Training stopped because the loss became NaN or infinite; the message says where and what to do. */
public class TrainingDiverged extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A divergence at {@code step}. */
  public TrainingDiverged(String message) {
    super(message);
  }
}
