package org.diffuse4j.runtime.manifest;

import org.diffuse4j.api.plugin.Option;
import org.diffuse4j.api.plugin.OptionException;

/** The {@code training} section. */
public record TrainingOptions(
    @Option(doc = "optimiser steps (0 = no training)", def = "1000", min = 0, max = 1e9) int steps,
    @Option(doc = "examples per step", def = "256", min = 1, max = 1e7) int batch_size,
    @Option(doc = "peak learning rate", def = "1e-3", min = 0) double lr,
    @Option(doc = "steps of linear learning-rate warm-up", def = "0", min = 0) int warmup,
    @Option(doc = "learning rate after warm-up: constant, or cosine decay to min_lr at the last step", def = "constant") LrSchedule schedule,
    @Option(doc = "final learning rate of the cosine schedule", def = "0", min = 0) double min_lr,
    @Option(doc = "adam, or adamw (Adam with decoupled weight decay, Loshchilov & Hutter 2019)", def = "adam") Optimizer optimizer,
    @Option(doc = "adamw's decoupled weight decay λ: each step w ← w − lr·λ·w (ignored by adam)", def = "0.01", min = 0, max = 1) double weight_decay,
    @Option(doc = "clip the gradient to this global L2 norm (0 = no clipping)", def = "0", min = 0) double clip_norm,
    @Option(doc = "decay of the exponential moving average of the weights, which sampling uses (0 = no EMA)", def = "0.999", min = 0, max = 1) double ema,
    @Option(doc = "EMA warm-up: decay min(ema, (1+k)/(10+k)) at step k, so early weights are forgotten fast", def = "true") boolean ema_warmup,
    @Option(doc = "print the loss every this many steps", def = "100", min = 1) int log_every,
    @Option(doc = "save a checkpoint every this many steps (0 = only at the end)", def = "0", min = 0) int checkpoint_every,
    @Option(doc = "seed of the training batches (-1 = the manifest's seed)", def = "-1", min = -1) long seed) {

  /** The optimiser. */
  public enum Optimizer { ADAM, ADAMW }

  /** Shape of the learning rate after warm-up. */
  public enum LrSchedule { CONSTANT, COSINE }

  public TrainingOptions {
    if (steps > 0 && !(lr > 0)) {
      throw new OptionException("value " + lr + " for 'training.lr' is out of range: the learning rate must be > 0 "
          + "when training.steps > 0 (a rate of 0 never moves the weights); set training.lr, e.g. 1e-3, "
          + "or training.steps: 0 for no training");
    }
    if (steps > 0 && warmup > steps) {
      throw new OptionException("value " + warmup + " for 'training.warmup' is longer than training.steps (" + steps
          + "): the learning rate would never reach training.lr; set training.warmup to at most " + steps
          + " (e.g. --set training.warmup=" + Math.min(steps / 10, steps) + ")");
    }
    if (ema >= 1) {
      throw new IllegalArgumentException("ema must be below 1 (a decay of 1 never moves), got " + ema);
    }
    if (schedule == LrSchedule.COSINE && min_lr > lr) {
      throw new IllegalArgumentException("min_lr (" + min_lr + ") must not exceed lr (" + lr + ")");
    }
  }

  /** The learning rate of step k (0-based): linear warm-up to lr, then constant or cosine decay to min_lr. */
  public double learningRate(int k) {
    if (warmup > 0 && k < warmup) {
      return lr * (k + 1.0) / warmup;
    }
    if (schedule == LrSchedule.CONSTANT) {
      return lr;
    }
    int span = steps - 1 - warmup;
    double progress = span <= 0 ? 1.0 : Math.min(1.0, (k - warmup) / (double) span);
    return min_lr + 0.5 * (lr - min_lr) * (1 + Math.cos(Math.PI * progress));
  }

  /** The EMA decay used after step k (0-based), with the warm-up applied. */
  public double emaDecay(int k) {
    return ema_warmup ? Math.min(ema, (1.0 + k) / (10.0 + k)) : ema;
  }
}
