package org.diffuse4j.runtime.builtin;

import org.diffuse4j.api.plugin.Option;

/** Options of the {@code fashion-mnist} data set. */
public record FashionMnistOptions(
    @Option(doc = "folder with Fashion-MNIST's IDX files (Debian: apt-get install dataset-fashion-mnist)",
        def = "/usr/share/datasets/fashion-mnist") String path) {}
