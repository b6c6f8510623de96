package org.diffuse4j.api.model;

/**
 * A labelled data set held in full, with a training and a test split read by index (e.g.
 * Fashion-MNIST): what an evaluation trains its classifier on and compares samples with. Its
 * {@link #sample} rows are drawn from one of the splits.
 */
public interface SplitDataSet extends DataSet {
  /** Number of rows in the training or the test split. */
  int count(boolean train);

  /** Label of row {@code index} of a split (0 … classes−1). */
  int label(boolean train, int index);

  /** Writes row {@code index} of a split into out[offset .. offset + dim()). */
  void copyRow(boolean train, int index, double[] out, int offset);

  /** All labels of a split, in row order. */
  default int[] labels(boolean train) {
    int[] out = new int[count(train)];
    for (int i = 0; i < out.length; i++) {
      out[i] = label(train, i);
    }
    return out;
  }
}
