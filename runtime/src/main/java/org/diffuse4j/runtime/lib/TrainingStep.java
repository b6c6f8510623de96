package org.diffuse4j.runtime.lib;

/**
 * One training step as step callbacks ({@link Experiment.Builder#onStep}) see it.
 *
 * @param step the step just taken, 1-based
 * @param loss its loss (before the update)
 * @param learningRate the learning rate it used
 * @param seconds wall time since training began (or resumed)
 */
public record TrainingStep(int step, double loss, double learningRate, double seconds) {}
