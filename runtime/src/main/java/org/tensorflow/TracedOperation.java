package org.tensorflow;

import org.bytedeco.javacpp.Pointer;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * An operation that exists only in Java: a name, a type and the shapes and types of its outputs,
 * with no TensorFlow op behind it. Diffuse4J's step tracer ({@code
 * org.diffuse4j.runtime.graph.ShapeGraph}) builds these so that a solver step can be traced without
 * calling TensorFlow; it lives in this package because {@link Output}s can only be made here.
 */
public final class TracedOperation extends AbstractOperation {
  private final ExecutionEnvironment env;
  private final String name;
  private final String type;
  private final Shape[] shapes;
  private final DataType[] types;
  private final String outputList;

  /**
   * An operation of {@code env} whose output i has {@code shapes[i]} and {@code types[i]};
   * {@code outputList} names the output list that all its outputs make up (IdentityN's), or is null.
   */
  public TracedOperation(ExecutionEnvironment env, String name, String type, Shape[] shapes, DataType[] types,
      String outputList) {
    this.env = env;
    this.outputList = outputList;
    this.name = name;
    this.type = type;
    this.shapes = shapes;
    this.types = types;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public ExecutionEnvironment env() {
    return env;
  }

  @Override
  public int numOutputs() {
    return shapes.length;
  }

  @Override
  public int outputListLength(String outputName) {
    if (!outputName.equals(outputList)) {
      throw new UnsupportedOperationException("a traced " + type + " has no output list " + outputName);
    }
    return shapes.length;
  }

  @Override
  public int inputListLength(String inputName) {
    throw new UnsupportedOperationException("a traced operation has no named input lists");
  }

  @Override
  public <T extends org.tensorflow.types.family.TType> Output<T> output(int idx) {
    if (idx < 0 || idx >= shapes.length) {
      throw new IndexOutOfBoundsException("output " + idx + " of an op with " + shapes.length);
    }
    return super.output(idx);
  }

  /** None: there is no TensorFlow op (so {@link Output#isClosed} is true). */
  @Override
  Pointer getUnsafeNativeHandle(int outputIdx) {
    return null;
  }

  @Override
  Shape shape(int outputIdx) {
    return shapes[outputIdx];
  }

  @Override
  DataType dtype(int outputIdx) {
    return types[outputIdx];
  }

  @Override
  Tensor tensor(int outputIdx) {
    throw new UnsupportedOperationException("a traced operation has no value");
  }
}
