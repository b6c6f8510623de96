package org.diffuse4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.api.model.ArrayData;
import org.diffuse4j.api.plugin.OptionException;

/**
 * Loads the {@code npy} data set: an N × D {@code .npy} array, optional N integer labels and optional
 * N × D noise rows paired with the data rows (reflow pairs, as written by {@code diffuse4j reflow}).
 */
public final class NpyData {
  private NpyData() {}

  /** Reads {@code path} (and {@code labelsPath} unless "none"); problems fail naming the file and the fix. */
  public static ArrayData load(String path, String labelsPath) {
    return load(path, labelsPath, "none");
  }

  /** As {@link #load(String, String)}, plus the paired noise rows of {@code noisePath} unless "none". */
  public static ArrayData load(String path, String labelsPath, String noisePath) {
    boolean pairs = !noisePath.equals("none");
    if (pairs && !Files.isRegularFile(Path.of(path))) {
      throw new OptionException("data.path: file not found: " + Path.of(path).toAbsolutePath() + "; this data set is "
          + "reflow pairs (data.noise is set): write them first with './diffuse4j reflow RUN_DIR --out DIR' "
          + "(x0.npy and noise.npy), or set data.path and data.noise to existing pairs");
    }
    Npy.Array a = read(path, "data.path");
    int[] s = a.shape();
    if (s.length != 2 || s[0] == 0 || s[1] == 0) {
      throw new OptionException("data.path: " + path + " has shape " + Arrays.toString(s)
          + "; expected a 2-D array N × D (numpy: x.reshape(len(x), -1))");
    }
    int[] labels = null;
    if (!labelsPath.equals("none")) {
      Npy.Array l = read(labelsPath, "data.labels");
      if (l.shape().length == 0 || l.shape()[0] != s[0] || l.data().length != s[0]) {
        throw new OptionException("data.labels: " + labelsPath + " has shape " + Arrays.toString(l.shape())
            + "; expected one integer label per row of " + path + " (" + s[0] + ")");
      }
      labels = new int[s[0]];
      for (int i = 0; i < labels.length; i++) {
        double v = l.data()[i];
        if (v != Math.rint(v)) {
          throw new OptionException("data.labels: " + labelsPath + ": label " + i + " is " + v + ", not an integer");
        }
        labels[i] = (int) v;
      }
    }
    double[] noise = pairs ? noise(noisePath, path, s) : null;
    return new ArrayData(a.data(), s[1], labels, noise, path);
  }

  /** The noise rows of {@code file}, which must have the data's shape and finite values. */
  private static double[] noise(String file, String dataPath, int[] dataShape) {
    Npy.Array e = read(file, "data.noise");
    if (!Arrays.equals(e.shape(), dataShape)) {
      throw new OptionException("data.noise: " + file + " has shape " + Arrays.toString(e.shape()) + " but data.path "
          + dataPath + " has shape " + Arrays.toString(dataShape) + "; give the noise row paired with each data row "
          + "(the noise.npy written next to x0.npy by 'diffuse4j reflow')");
    }
    double[] v = e.data();
    for (int i = 0; i < v.length; i++) {
      if (!Double.isFinite(v[i])) {
        throw new OptionException(String.format("data.noise: %s: row %d, column %d is %s; noise rows must be finite",
            file, i / dataShape[1], i % dataShape[1], v[i]));
      }
    }
    return v;
  }

  private static Npy.Array read(String file, String key) {
    Path p = Path.of(file);
    if (!Files.isRegularFile(p)) {
      throw new OptionException(key + ": file not found: " + p.toAbsolutePath()
          + "; set " + key + " to an existing .npy file (numpy: np.save('data.npy', x))");
    }
    try {
      return Npy.read(p);
    } catch (IOException e) {
      throw new OptionException(key + ": cannot read " + p.toAbsolutePath() + ": " + e.getMessage()
          + " (save it with numpy as float32/float64/int32/int64, C order)");
    }
  }
}
