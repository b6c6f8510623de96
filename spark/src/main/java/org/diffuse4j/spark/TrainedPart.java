package org.diffuse4j.spark;

import java.io.Serializable;

/**
 * What one task of a data-parallel training job sends back: its index, the SHA-256 of its final
 * weights (equal in every task when the updates stayed in step), and from task 0 the outcome and the
 * log lines of a plain training.
 *
 * @param losses the global batch's loss of every step, including those before a resume (task 0; else empty)
 * @param seconds the wall time of the steps run
 * @param syncSeconds the part of it spent in the all-reduce (encoding, allGather, decoding and averaging)
 */
record TrainedPart(int index, String weights, int steps, int ran, double[] losses, double seconds, double syncSeconds,
    String log)
    implements Serializable {}
