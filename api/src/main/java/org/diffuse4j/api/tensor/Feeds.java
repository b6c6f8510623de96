package org.diffuse4j.api.tensor;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/** Copies between Java double arrays and TensorFlow tensors of a graph's precision, in one bulk copy. */
public final class Feeds {
  private Feeds() {}

  /**
   * A new tensor (caller closes it) holding {@code values} row-major in {@code shape}.
   *
   * @param precision float32 or float64; float32 rounds the values
   * @param values the values in row-major order, as many as the shape holds
   * @param shape the dimensions; none for a scalar
   * @return a new TFloat32 or TFloat64 tensor that the caller must close
   */
  public static Tensor tensor(Precision precision, double[] values, long... shape) {
    if (precision == Precision.FLOAT64) {
      return TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
    }
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(f, true, false));
  }

  /**
   * A scalar tensor.
   *
   * @param precision float32 or float64; float32 rounds the value
   * @param value the value
   * @return a new rank-0 TFloat32 or TFloat64 tensor that the caller must close
   */
  public static Tensor scalar(Precision precision, double value) {
    return precision == Precision.FLOAT64 ? TFloat64.scalarOf(value) : TFloat32.scalarOf((float) value);
  }

  /**
   * All values of a float32 or float64 tensor, row-major.
   *
   * @param t a TFloat32 or TFloat64 tensor (not closed here)
   * @return a new array of its values as doubles, row-major
   */
  public static double[] values(Tensor t) {
    int n = (int) t.shape().size();
    double[] out = new double[n];
    if (t instanceof TFloat64 d) {
      d.copyTo(DataBuffers.of(out, false, false));
    } else if (t instanceof TFloat32 f) {
      float[] tmp = new float[n];
      f.copyTo(DataBuffers.of(tmp, false, false));
      for (int i = 0; i < n; i++) {
        out[i] = tmp[i];
      }
    } else {
      throw new IllegalArgumentException("expected a float tensor, got " + t.dataType());
    }
    return out;
  }

  /**
   * The single value of a scalar float tensor.
   *
   * @param t a TFloat32 or TFloat64 tensor with one value (not closed here)
   * @return its value as a double
   */
  public static double scalarValue(Tensor t) {
    return values(t)[0];
  }
}
