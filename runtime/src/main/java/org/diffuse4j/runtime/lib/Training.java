package org.diffuse4j.runtime.lib;

import java.util.Map;
import org.diffuse4j.api.plugin.Options;
import org.diffuse4j.runtime.manifest.TrainingOptions;

/**
 * The manifest's {@code training} section, typed: start from {@link #defaults()} and set what differs
 * ({@code Training.defaults().steps(3000).lr(2e-3)}). Immutable; keys left unset keep the defaults
 * {@code diffuse4j describe} lists, and values are checked when the experiment is built.
 */
public final class Training {
  private final Map<String, Object> values;

  private Training(Map<String, Object> values) {
    this.values = values;
  }

  /**
   * Every key at its default (1000 steps, batch 256, lr 1e-3, Adam, EMA 0.999).
   *
   * @return these settings with the change
   */
  public static Training defaults() {
    return new Training(Map.of());
  }

  /** The section as a manifest holds it (a map of keys; absent for defaults). */
  static Training of(Object section) {
    return new Training(Section.read(section, "training"));
  }

  private Training set(String key, Object value) {
    return new Training(Section.with(values, key, value));
  }

  /**
   * Optimiser steps (0: no training).
   *
   * @param steps the number of steps
   * @return these settings with the change
   */
  public Training steps(int steps) {
    return set("steps", steps);
  }

  /**
   * Examples per step.
   *
   * @param batchSize the batch size
   * @return these settings with the change
   */
  public Training batchSize(int batchSize) {
    return set("batch_size", batchSize);
  }

  /**
   * Peak learning rate.
   *
   * @param lr the learning rate
   * @return these settings with the change
   */
  public Training lr(double lr) {
    return set("lr", lr);
  }

  /**
   * Steps of linear learning-rate warm-up.
   *
   * @param steps the number of steps
   * @return these settings with the change
   */
  public Training warmup(int steps) {
    return set("warmup", steps);
  }

  /**
   * Learning rate after warm-up: constant, or cosine decay to {@code minLr} at the last step.
   *
   * @param schedule the schedule plugin
   * @param minLr the final learning rate of the cosine decay
   * @return these settings with the change
   */
  public Training lrSchedule(TrainingOptions.LrSchedule schedule, double minLr) {
    return set("schedule", Options.enumName(schedule)).set("min_lr", minLr);
  }

  /**
   * Adam, or AdamW with decoupled weight decay λ (ignored by Adam).
   *
   * @param optimizer the optimiser
   * @param weightDecay AdamW's decay λ
   * @return these settings with the change
   */
  public Training optimizer(TrainingOptions.Optimizer optimizer, double weightDecay) {
    return set("optimizer", Options.enumName(optimizer)).set("weight_decay", weightDecay);
  }

  /**
   * Clips the gradient to this global L2 norm (0: no clipping).
   *
   * @param norm the norm
   * @return these settings with the change
   */
  public Training clipNorm(double norm) {
    return set("clip_norm", norm);
  }

  /**
   * Decay of the weights' moving average that sampling uses (0: none), with or without its warm-up.
   *
   * @param decay the decay
   * @param warmup whether the decay warms up
   * @return these settings with the change
   */
  public Training ema(double decay, boolean warmup) {
    return set("ema", decay).set("ema_warmup", warmup);
  }

  /**
   * Log the loss every this many steps.
   *
   * @param steps the number of steps
   * @return these settings with the change
   */
  public Training logEvery(int steps) {
    return set("log_every", steps);
  }

  /**
   * Save a checkpoint every this many steps (0: only at the end).
   *
   * @param steps the number of steps
   * @return these settings with the change
   */
  public Training checkpointEvery(int steps) {
    return set("checkpoint_every", steps);
  }

  /**
   * Seed of the training batches (-1: the experiment's seed).
   *
   * @param seed the seed
   * @return these settings with the change
   */
  public Training seed(long seed) {
    return set("seed", seed);
  }

  /**
   * The keys set, in manifest spelling.
   *
   * @return the keys set, in manifest spelling
   */
  public Map<String, Object> values() {
    return values;
  }

  @Override
  public String toString() {
    return "training " + values;
  }
}
