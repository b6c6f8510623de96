package org.diffuse4j.runtime.builtin;

import org.diffuse4j.api.plugin.Option;

/** Options of the {@code checkpoint} network plugin: a trained run's network with fixed weights. */
public record CheckpointOptions(
    @Option(doc = "a run folder written by 'run' (manifest.yaml and checkpoint/)") String run,
    @Option(doc = "use the checkpoint's EMA weights when it has them", def = "true") boolean use_ema) {}
