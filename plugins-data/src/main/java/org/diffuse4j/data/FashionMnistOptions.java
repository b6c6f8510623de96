package org.diffuse4j.data;

import org.diffuse4j.api.plugin.Option;

/** Options of the {@code fashion-mnist} data set. */
public record FashionMnistOptions(
    @Option(doc = "folder with Fashion-MNIST's IDX files (Debian: apt-get install dataset-fashion-mnist)",
        def = "/usr/share/datasets/fashion-mnist") String path,
    @Option(doc = "which images rows are drawn from: train (60,000) or test (10,000, e.g. for likelihood)",
        def = "train") Split split) {

  /** The two files of the data set. */
  public enum Split { TRAIN, TEST }
}
