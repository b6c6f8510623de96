package org.diffuse4j.api;

/**
 * Turns a conditional model and the requested condition into the {@link Denoiser} a solver
 * integrates (classifier-free, classifier, interval, …). Solvers never know guidance exists.
 */
public interface Guidance {

  /** The denoiser a solver integrates: {@code model} guided towards {@code condition}. */
  Denoiser guide(ConditionalDenoiser model, Condition condition);

  /**
   * Whether this guidance contrasts the model's conditional and unconditional predictions (cfg,
   * cfg++, apg, …), so it needs a class-conditional network; checked before any work.
   */
  default boolean needsConditionalModel() {
    return false;
  }

  /**
   * Whether this guidance fails without a class label per sample (classifier guidance). Guidance that
   * only contrasts predictions (cfg) is the unconditional model itself when there is no label.
   */
  default boolean needsLabels() {
    return false;
  }
}
