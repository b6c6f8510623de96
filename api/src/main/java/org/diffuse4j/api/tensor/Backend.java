package org.diffuse4j.api.tensor;

import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

/**
 * Where tensors are built: a TensorFlow {@link Ops} (graph or eager) plus the floating precision.
 * Every {@link Tensor} of one computation shares one backend.
 *
 * @param tf the TensorFlow ops (of a graph or an eager session) every tensor is built with
 * @param precision the floating type of every tensor built here
 */
public record Backend(Ops tf, Precision precision) {

  /**
   * The TensorFlow type class of this backend's floats.
   *
   * @return {@code TFloat64.class} for float64, else {@code TFloat32.class}
   */
  public Class<? extends TNumber> floatType() {
    return precision == Precision.FLOAT64 ? TFloat64.class : TFloat32.class;
  }

  /**
   * A scalar constant.
   *
   * @param value the value, rounded to float32 at that precision
   * @return a rank-0 constant of this backend's precision
   */
  public Tensor scalar(double value) {
    return wrap(precision == Precision.FLOAT64 ? tf.constant(value) : tf.constant((float) value));
  }

  /**
   * A constant of the given shape from row-major values.
   *
   * @param values the values in row-major order, as many as the shape holds (rounded to float32 at that
   *     precision)
   * @param shape the dimensions; none for a scalar
   * @return the constant, of this backend's precision
   */
  public Tensor constant(double[] values, long... shape) {
    if (Shape.of(shape).size() != values.length) {
      throw new IllegalArgumentException(
          "constant: " + values.length + " values do not fill shape " + Arrays.toString(shape));
    }
    if (precision == Precision.FLOAT64) {
      return wrap(tf.constant(Shape.of(shape), DataBuffers.of(values, true, false)));
    }
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return wrap(tf.constant(Shape.of(shape), DataBuffers.of(f, true, false)));
  }

  /**
   * A floating placeholder (graph mode) to be fed at run time; -1 marks an unknown dimension.
   *
   * @param name the op name, the key to feed it by
   * @param shape the dimensions; -1 for unknown
   * @return the placeholder, of this backend's precision
   */
  public Tensor placeholder(String name, long... shape) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    Operand<?> p =
        tf.withName(name)
            .placeholder((Class) floatType(), org.tensorflow.op.core.Placeholder.shape(Shape.of(shape)));
    return wrap(p);
  }

  /**
   * Wraps an existing floating operand of this backend's precision.
   *
   * @param operand an operand of this backend's {@code tf} and float type
   * @return the operand as a {@link Tensor} on this backend
   */
  public Tensor wrap(Operand<?> operand) {
    return new Tensor(this, operand);
  }
}
