package org.diffuse4j.api.model;

/**
 * A labelled data set held in full, with a training and a test split read by index (e.g.
 * Fashion-MNIST): what an evaluation trains its classifier on and compares samples with. Its
 * {@link #sample} rows are drawn from one of the splits.
 */
public interface SplitDataSet extends DataSet {
  /**
   * Number of rows in the training or the test split.
   *
   * @param train true for the training split, false for the test split
   * @return the number of rows in that split
   */
  int count(boolean train);

  /**
   * Label of row {@code index} of a split (0 … classes−1).
   *
   * @param train true for the training split, false for the test split
   * @param index the row index, 0 … count(train) − 1
   * @return the row's class id, 0 … classes−1
   */
  int label(boolean train, int index);

  /**
   * Writes row {@code index} of a split into out[offset .. offset + dim()).
   *
   * @param train true for the training split, false for the test split
   * @param index the row index, 0 … count(train) − 1
   * @param out the array written to, with room for dim() values from {@code offset}
   * @param offset the index in {@code out} of the row's first value
   */
  void copyRow(boolean train, int index, double[] out, int offset);

  /**
   * All labels of a split, in row order.
   *
   * @param train true for the training split, false for the test split
   * @return the labels of rows 0 … count(train) − 1
   */
  default int[] labels(boolean train) {
    int[] out = new int[count(train)];
    for (int i = 0; i < out.length; i++) {
      out[i] = label(train, i);
    }
    return out;
  }
}
