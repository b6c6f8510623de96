package org.diffuse4j.runtime.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.runtime.io.Npy;

/** Loads the {@code npy} data set: an N × D {@code .npy} array and optional N integer labels. */
public final class NpyData {
  private NpyData() {}

  /** Reads {@code path} (and {@code labelsPath} unless "none"); problems fail naming the file and the fix. */
  public static ArrayData load(String path, String labelsPath) {
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
    return new ArrayData(a.data(), s[1], labels, path);
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
