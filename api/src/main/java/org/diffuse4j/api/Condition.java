package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * What a conditional model is conditioned on: class labels (a float tensor of shape [B] holding
 * integer class ids), or nothing. The unconditional condition maps to the network's null label.
 *
 * @param labels the class ids, a float tensor of shape [B] holding whole numbers, or null for none
 */
public record Condition(Tensor labels) {

  private static final Condition NONE = new Condition(null);

  /**
   * No conditioning (the null label for conditional networks).
   *
   * @return the condition without labels
   */
  public static Condition none() {
    return NONE;
  }

  /**
   * Whether labels are present.
   *
   * @return true if {@code labels} is non-null
   */
  public boolean isConditional() {
    return labels != null;
  }
}
