package org.diffuse4j.runtime.manifest;

import org.diffuse4j.api.plugin.Option;

/** The {@code training} section. */
public record TrainingOptions(
    @Option(doc = "optimiser steps (0 = no training)", def = "1000", min = 0, max = 1e9) int steps,
    @Option(doc = "examples per step", def = "256", min = 1, max = 1e7) int batch_size,
    @Option(doc = "Adam learning rate", def = "1e-3", min = 0) double lr,
    @Option(doc = "steps of linear learning-rate warm-up", def = "0", min = 0) int warmup,
    @Option(doc = "print the loss every this many steps", def = "100", min = 1) int log_every,
    @Option(doc = "save a checkpoint every this many steps (0 = only at the end)", def = "0", min = 0) int checkpoint_every,
    @Option(doc = "seed of the training batches (-1 = the manifest's seed)", def = "-1", min = -1) long seed) {}
