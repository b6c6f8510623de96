package org.diffuse4j.spark;

import java.io.Serializable;

/** A task's latents and reconstructions (row-major) and its NFE per sample, sent back to the driver. */
record RoundTripRows(double[] latents, double[] reconstructed, int nfe) implements Serializable {}
