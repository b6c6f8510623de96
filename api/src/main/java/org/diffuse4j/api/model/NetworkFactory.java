package org.diffuse4j.api.model;

import org.diffuse4j.api.tensor.Backend;

/**
 * What a {@code network} plugin builds: a recipe that adds a model to a graph. Building the same
 * recipe twice gives variables with the same names, so a checkpoint saved from one graph restores
 * into another.
 */
public interface NetworkFactory {
  /**
   * Adds the model to the backend's graph with its weights from {@code weights}; {@code seed} fixes the initial values.
   *
   * @param backend the backend whose graph the model is added to
   * @param dim the number of values per data row, the width of x
   * @param seed the seed of the initial weight values
   * @param weights where the weights come from (trainable variables or fixed values)
   * @return the built model
   */
  Model build(Backend backend, int dim, long seed, Weights weights);

  /**
   * Adds the model with new trainable variables.
   *
   * @param backend the backend whose graph the model is added to
   * @param dim the number of values per data row, the width of x
   * @param seed the seed of the initial weight values
   * @return the built model, with {@link Weights#trainable()} weights
   */
  default Model build(Backend backend, int dim, long seed) {
    return build(backend, dim, seed, Weights.trainable());
  }

  /**
   * How many time labels the network reads: 1, or 2 for a two-time network (a flow map's s and t,
   * fed as the pair of {@link org.diffuse4j.api.FlowMapNetwork#times}).
   *
   * @return 1 by default
   */
  default int times() {
    return 1;
  }

  /**
   * Whether the network reads the guidance scale w of {@link org.diffuse4j.api.Condition#scale()}: a
   * guidance-distilled student (Meng et al. 2023), sampled with one evaluation per call by the
   * {@code distilled} guidance.
   *
   * @return false by default
   */
  default boolean readsGuidanceScale() {
    return false;
  }

  /**
   * {@code factory} reading {@code times} time labels (a plugin whose options say how many).
   *
   * @param times 1, or 2 for a two-time flow-map network
   * @param factory the recipe
   * @return the recipe with {@link #times()} = {@code times}
   */
  static NetworkFactory withTimes(int times, NetworkFactory factory) {
    return declared(factory, times, factory.readsGuidanceScale());
  }

  /**
   * {@code factory} reading the guidance scale or not (a plugin whose options say so).
   *
   * @param reads whether the network reads {@link org.diffuse4j.api.Condition#scale()}
   * @param factory the recipe
   * @return the recipe with {@link #readsGuidanceScale()} = {@code reads}
   */
  static NetworkFactory withGuidanceScale(boolean reads, NetworkFactory factory) {
    return declared(factory, factory.times(), reads);
  }

  /** {@code factory}'s recipe with the inputs it declares. */
  private static NetworkFactory declared(NetworkFactory factory, int times, boolean reads) {
    return new NetworkFactory() {
      @Override
      public Model build(Backend backend, int dim, long seed, Weights weights) {
        return factory.build(backend, dim, seed, weights);
      }

      @Override
      public int times() {
        return times;
      }

      @Override
      public boolean readsGuidanceScale() {
        return reads;
      }
    };
  }
}
