package org.diffuse4j.api;

/**
 * Turns a conditional model and the requested condition into the {@link Denoiser} a solver
 * integrates (classifier-free, classifier, interval, …). Solvers never know guidance exists.
 */
public interface Guidance {

  Denoiser guide(ConditionalDenoiser model, Condition condition);
}
