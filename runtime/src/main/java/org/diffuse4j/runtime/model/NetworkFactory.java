package org.diffuse4j.runtime.model;

import org.diffuse4j.api.tensor.Backend;

/**
 * What a {@code network} plugin builds: a recipe that adds a model to a graph. Building the same
 * recipe twice gives variables with the same names, so a checkpoint saved from one graph restores
 * into another.
 */
public interface NetworkFactory {
  /** Adds the model's variables and returns it; {@code seed} fixes the initial weights. */
  Model build(Backend backend, int dim, long seed);
}
