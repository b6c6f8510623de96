package org.diffuse4j.solvers;

/**
 * The ancestral split of a step from noise level {@code from} to {@code to} (σ/α):
 * σ_up = min(σ_to, η·√(σ_to²(σ_from² − σ_to²)/σ_from²)) and σ_down = √(σ_to² − σ_up²); the
 * deterministic move goes to σ_down and fresh noise of size σ_up is added (Ho et al. 2020's
 * posterior variance at η = 1; k-diffusion's {@code get_ancestral_step}).
 */
public record AncestralStep(double up, double down) {
  /** The split for ancestral noise fraction {@code eta} between levels {@code from} and {@code to}. */
  public static AncestralStep of(double eta, double from, double to) {
    double up = Math.min(to, eta * Math.sqrt(to * to * (from * from - to * to) / (from * from)));
    return new AncestralStep(up, Math.sqrt(to * to - up * up));
  }
}
