package org.diffuse4j.api;

/**
 * Turns a conditional model and the requested condition into the {@link Denoiser} a solver
 * integrates (classifier-free, classifier, interval, …). Solvers never know guidance exists.
 */
public interface Guidance {

  /**
   * The denoiser a solver integrates: {@code model} guided towards {@code condition}.
   *
   * @param model the conditional model (network and parameterisation) to guide
   * @param condition the requested condition (class labels, or none)
   * @return the guided denoiser
   */
  Denoiser guide(ConditionalDenoiser model, Condition condition);

  /**
   * Whether this guidance contrasts the model's conditional and unconditional predictions (cfg,
   * cfg++, apg, …), so it needs a class-conditional network; checked before any work.
   *
   * @return true if the network must be class-conditional; false by default
   */
  default boolean needsConditionalModel() {
    return false;
  }

  /**
   * Whether this guidance fails without a class label per sample (classifier guidance). Guidance that
   * only contrasts predictions (cfg) is the unconditional model itself when there is no label.
   *
   * @return true if every sample must carry a class label; false by default
   */
  default boolean needsLabels() {
    return false;
  }

  /**
   * Whether this guidance feeds its scale to the network in {@link Condition#scale()} instead of
   * combining predictions ({@code distilled}: one evaluation of a guidance-distilled student, Meng et
   * al. 2023); such guidance needs a network that {@linkplain
   * org.diffuse4j.api.model.NetworkFactory#readsGuidanceScale() reads the scale}, and every other
   * guidance needs one that does not.
   *
   * @return false by default
   */
  default boolean feedsGuidanceScale() {
    return false;
  }
}
