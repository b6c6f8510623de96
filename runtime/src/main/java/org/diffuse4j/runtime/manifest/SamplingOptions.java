package org.diffuse4j.runtime.manifest;

import org.diffuse4j.api.plugin.Option;

/** The {@code sampling} section. */
public record SamplingOptions(
    @Option(doc = "solver plugin", def = "euler") Object solver,
    @Option(doc = "time grid plugin", def = "uniform") Object grid,
    @Option(doc = "solver steps (grid intervals)", def = "50", min = 1, max = 100000) int steps,
    @Option(doc = "number of samples", def = "2000", min = 1, max = 1e8) int n,
    @Option(doc = "samples per Session.run (results do not depend on it)", def = "1000", min = 1, max = 1e7) int batch_size,
    @Option(doc = "seed of the initial noise and solver noise (-1 = the manifest's seed)", def = "-1", min = -1) long seed,
    @Option(doc = "a .npy file of standard-normal initial noise (n × dim) instead of drawn noise ('none')", def = "none") String init) {}
