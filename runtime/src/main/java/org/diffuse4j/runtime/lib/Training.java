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

  /** Every key at its default (1000 steps, batch 256, lr 1e-3, Adam, EMA 0.999). */
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

  /** Optimiser steps (0: no training). */
  public Training steps(int steps) {
    return set("steps", steps);
  }

  /** Examples per step. */
  public Training batchSize(int batchSize) {
    return set("batch_size", batchSize);
  }

  /** Peak learning rate. */
  public Training lr(double lr) {
    return set("lr", lr);
  }

  /** Steps of linear learning-rate warm-up. */
  public Training warmup(int steps) {
    return set("warmup", steps);
  }

  /** Learning rate after warm-up: constant, or cosine decay to {@code minLr} at the last step. */
  public Training lrSchedule(TrainingOptions.LrSchedule schedule, double minLr) {
    return set("schedule", Options.enumName(schedule)).set("min_lr", minLr);
  }

  /** Adam, or AdamW with decoupled weight decay λ (ignored by Adam). */
  public Training optimizer(TrainingOptions.Optimizer optimizer, double weightDecay) {
    return set("optimizer", Options.enumName(optimizer)).set("weight_decay", weightDecay);
  }

  /** Clips the gradient to this global L2 norm (0: no clipping). */
  public Training clipNorm(double norm) {
    return set("clip_norm", norm);
  }

  /** Decay of the weights' moving average that sampling uses (0: none), with or without its warm-up. */
  public Training ema(double decay, boolean warmup) {
    return set("ema", decay).set("ema_warmup", warmup);
  }

  /** Log the loss every this many steps. */
  public Training logEvery(int steps) {
    return set("log_every", steps);
  }

  /** Save a checkpoint every this many steps (0: only at the end). */
  public Training checkpointEvery(int steps) {
    return set("checkpoint_every", steps);
  }

  /** Seed of the training batches (-1: the experiment's seed). */
  public Training seed(long seed) {
    return set("seed", seed);
  }

  /** The keys set, in manifest spelling. */
  public Map<String, Object> values() {
    return values;
  }

  @Override
  public String toString() {
    return "training " + values;
  }
}
