package org.diffuse4j.api;

import org.diffuse4j.api.tensor.Tensor;

/**
 * What a conditional model is conditioned on: class labels (a float tensor of shape [B] holding
 * integer class ids), or nothing; and, for a guidance-distilled network (Meng et al. 2023, "On
 * Distillation of Guided Diffusion Models", a student x̂_θ(z_t, w, c) that reads the guidance scale),
 * the guidance scale w of each example. The unconditional condition maps to the network's null
 * label; networks that do not read the scale ({@link org.diffuse4j.api.model.NetworkFactory#readsGuidanceScale()})
 * ignore it.
 *
 * @param labels the class ids, a float tensor of shape [B] holding whole numbers, or null for none
 * @param scale the guidance scale w (the project's CFG convention, docs/guidance.md: 1 = conditional
 *     model), a scalar, [B] or [B, 1] tensor, or null for none
 */
public record Condition(Tensor labels, Tensor scale) {

  private static final Condition NONE = new Condition(null, null);

  /**
   * Class labels without a guidance scale.
   *
   * @param labels the class ids, shape [B], or null for none
   */
  public Condition(Tensor labels) {
    this(labels, null);
  }

  /**
   * No conditioning (the null label for conditional networks).
   *
   * @return the condition without labels
   */
  public static Condition none() {
    return NONE;
  }

  /**
   * Class labels without a guidance scale.
   *
   * @param labels the class ids, shape [B], or null for none
   * @return the condition of {@code labels}
   */
  public static Condition of(Tensor labels) {
    return labels == null ? NONE : new Condition(labels, null);
  }

  /**
   * This condition's labels with guidance scale {@code w}.
   *
   * @param w the guidance scale, a scalar, [B] or [B, 1] tensor
   * @return the condition with the same labels and scale {@code w}
   */
  public Condition withScale(Tensor w) {
    return new Condition(labels, w);
  }

  /**
   * Whether labels are present.
   *
   * @return true if {@code labels} is non-null
   */
  public boolean isConditional() {
    return labels != null;
  }

  /**
   * Whether a guidance scale is present.
   *
   * @return true if {@code scale} is non-null
   */
  public boolean hasScale() {
    return scale != null;
  }
}
