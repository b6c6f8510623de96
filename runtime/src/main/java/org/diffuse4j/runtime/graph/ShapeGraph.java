package org.diffuse4j.runtime.graph;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.Tensor;
import org.tensorflow.TracedOperation;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.OpScope;
import org.tensorflow.op.Scope;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A graph environment that calls no TensorFlow: each op built through it is a Java
 * {@link TracedOperation} whose output shapes and types are inferred here (TensorFlow's shape
 * functions, restated) for the ops a solver step is made of: constants, placeholders, elementwise
 * floating maths with NumPy broadcasting, comparisons, select, cast, identities, and the shape ops
 * over integer constants (concat, slice, reshape, broadcast, fill, reductions), with every shape
 * fully known. Anything else (another op type or attribute, an unknown dimension, an operand built
 * elsewhere, inputs TensorFlow would reject) throws {@link Unknown}, and the caller traces with
 * TensorFlow instead. Wrapped in a {@link RecordingGraph}, a step is traced in microseconds per op.
 */
public final class ShapeGraph implements ExecutionEnvironment {
  /** Thrown for what this environment cannot infer exactly; trace in a TensorFlow graph instead. */
  public static final class Unknown extends RuntimeException {
    Unknown(String message) {
      super(message);
    }
  }

  private static final Set<String> UNARY = Set.of("Abs", "Cos", "Sin", "Exp", "Log", "Neg", "Sigmoid", "Sqrt",
      "Rsqrt", "Square", "Tanh", "Atan", "Identity", "StopGradient", "ZerosLike", "OnesLike", "Reciprocal", "Sign",
      "Expm1", "Log1p", "Floor");
  private static final Set<String> BINARY = Set.of("Add", "AddV2", "Sub", "Mul", "Div", "RealDiv", "Maximum",
      "Minimum", "Pow", "SquaredDifference");
  private static final Set<String> COMPARISON = Set.of("Greater", "GreaterEqual", "Less", "LessEqual");

  private final OpScope scope = new OpScope(this);
  /** Values of the integer tensors of rank ≤ 1 built here whose value is known (constants and shapes). */
  private final Map<Operation, long[]> values = new IdentityHashMap<>();

  @Override
  public OperationBuilder opBuilder(String type, String name, Scope s) {
    return new Builder(type, name);
  }

  @Override
  public void attachFunction(ConcreteFunction function) {
    throw new Unknown("functions are not traced in Java");
  }

  @Override
  public void checkInput(Operation input) {
    if (!(input instanceof TracedOperation t) || t.env() != this) {
      throw new Unknown("op " + input.name() + " (" + input.type() + ") was not built in this trace");
    }
  }

  @Override
  public Types environmentType() {
    return Types.GRAPH;
  }

  @Override
  public Scope baseScope() {
    return scope;
  }

  @Override
  public boolean isInitializer(Operation op) {
    return false;
  }

  private static boolean floating(DataType t) {
    return t == DataType.DT_FLOAT || t == DataType.DT_DOUBLE;
  }

  /** NumPy broadcasting of fully known shapes (TensorFlow's rule for its binary elementwise ops). */
  static Shape broadcast(Shape a, Shape b) {
    int rank = Math.max(a.numDimensions(), b.numDimensions());
    long[] out = new long[rank];
    for (int i = 0; i < rank; i++) {
      int ia = a.numDimensions() - rank + i;
      int ib = b.numDimensions() - rank + i;
      long da = ia < 0 ? 1 : a.size(ia);
      long db = ib < 0 ? 1 : b.size(ib);
      if (da == db || db == 1) {
        out[i] = da;
      } else if (da == 1) {
        out[i] = db;
      } else {
        throw new Unknown("shapes " + a + " and " + b + " do not broadcast");
      }
    }
    return Shape.of(out);
  }

  /** Records one op's inputs and the attributes its output shapes depend on, and infers them when built. */
  private final class Builder implements OperationBuilder {
    private final String type;
    private final String name;
    private final List<Output<?>> inputs = new ArrayList<>();
    private Shape shapeAttr;
    private DataType typeAttr;
    private boolean keepDims;
    private long[] value;

    Builder(String type, String name) {
      this.type = type;
      this.name = name;
    }

    private Shape known(Output<?> o) {
      Shape s = o.shape();
      if (s.isUnknown() || s.hasUnknownDimension()) {
        throw new Unknown("op " + type + " reads " + o.op().name() + " of shape " + s + ", not fully known");
      }
      return s;
    }

    private DataType floatOf(Output<?> o) {
      DataType t = o.dataType();
      if (!floating(t)) {
        throw new Unknown("op " + type + " reads " + o.op().name() + " of type " + t);
      }
      return t;
    }

    private DataType same(DataType a, DataType b) {
      if (a != b) {
        throw new Unknown("op " + type + " mixes " + a + " and " + b);
      }
      return a;
    }

    /** The known value of an integer input (a constant or a shape), else {@link Unknown}. */
    private long[] valueOf(Output<?> o) {
      long[] v = o.index() == 0 ? values.get(o.op()) : null;
      if (v == null) {
        throw new Unknown("op " + type + " reads " + o.op().name() + " (" + o.op().type() + ") whose value is not known");
      }
      return v;
    }

    private Shape fromValue(long[] dims) {
      for (long d : dims) {
        if (d < 0) {
          throw new Unknown("op " + type + " to dimensions " + java.util.Arrays.toString(dims));
        }
      }
      return Shape.of(dims);
    }

    private int axis(long a, int rank) {
      if (a < -rank || a >= rank) {
        throw new Unknown("op " + type + " on axis " + a + " of rank " + rank);
      }
      return (int) (a < 0 ? a + rank : a);
    }

    private Shape reduce(Shape in, long[] axes) {
      boolean[] reduced = new boolean[in.numDimensions()];
      for (long a : axes) {
        int ax = axis(a, reduced.length);
        if (reduced[ax]) {
          throw new Unknown("reduction over axis " + ax + " twice");
        }
        reduced[ax] = true;
      }
      List<Long> out = new ArrayList<>();
      for (int i = 0; i < reduced.length; i++) {
        if (!reduced[i]) {
          out.add(in.size(i));
        } else if (keepDims) {
          out.add(1L);
        }
      }
      return Shape.of(out.stream().mapToLong(Long::longValue).toArray());
    }

    private Shape reshape(Shape in, long[] to) {
      long known = 1;
      int free = -1;
      for (int i = 0; i < to.length; i++) {
        if (to[i] == -1 && free < 0) {
          free = i;
        } else if (to[i] < 0) {
          throw new Unknown("reshape to " + java.util.Arrays.toString(to));
        } else {
          known *= to[i];
        }
      }
      long[] out = to.clone();
      if (free >= 0) {
        if (known == 0 || in.size() % known != 0) {
          throw new Unknown("reshape of " + in + " to " + java.util.Arrays.toString(to));
        }
        out[free] = in.size() / known;
      } else if (known != in.size()) {
        throw new Unknown("reshape of " + in + " to " + java.util.Arrays.toString(to));
      }
      return Shape.of(out);
    }

    private Shape concat(long a) {
      Shape first = known(inputs.get(0));
      int ax = axis(a, first.numDimensions());
      long[] out = first.asArray();
      DataType t = floatOf(inputs.get(0));
      for (int i = 1; i < inputs.size() - 1; i++) {
        Shape si = known(inputs.get(i));
        same(t, floatOf(inputs.get(i)));
        if (si.numDimensions() != out.length) {
          throw new Unknown("concat of ranks " + first + " and " + si);
        }
        for (int d = 0; d < out.length; d++) {
          if (d == ax) {
            out[d] += si.size(d);
          } else if (si.size(d) != out[d]) {
            throw new Unknown("concat of " + first + " and " + si + " on axis " + ax);
          }
        }
      }
      return Shape.of(out);
    }

    private Shape slice(Shape in, long[] begin, long[] size) {
      if (begin.length != in.numDimensions() || size.length != begin.length) {
        throw new Unknown("slice of " + in + " from " + java.util.Arrays.toString(begin));
      }
      long[] out = new long[begin.length];
      for (int d = 0; d < out.length; d++) {
        out[d] = size[d] == -1 ? in.size(d) - begin[d] : size[d];
        if (begin[d] < 0 || out[d] < 0 || begin[d] + out[d] > in.size(d)) {
          throw new Unknown("slice of " + in + " from " + java.util.Arrays.toString(begin) + " of "
              + java.util.Arrays.toString(size));
        }
      }
      return Shape.of(out);
    }

    private void arity(int n) {
      if (inputs.size() != n) {
        throw new Unknown("op " + type + " with " + inputs.size() + " inputs");
      }
    }

    @Override
    public Operation build() {
      Shape[] shapes;
      DataType[] types;
      if (type.equals("Const") || type.equals("Placeholder")) {
        arity(0);
        if (shapeAttr == null || typeAttr == null || shapeAttr.isUnknown() || shapeAttr.hasUnknownDimension()) {
          throw new Unknown(type + " without a fully known shape and type");
        }
        shapes = new Shape[] {shapeAttr};
        types = new DataType[] {typeAttr};
      } else if (UNARY.contains(type)) {
        arity(1);
        shapes = new Shape[] {known(inputs.get(0))};
        types = new DataType[] {floatOf(inputs.get(0))};
      } else if (BINARY.contains(type) || COMPARISON.contains(type)) {
        arity(2);
        DataType t = same(floatOf(inputs.get(0)), floatOf(inputs.get(1)));
        shapes = new Shape[] {broadcast(known(inputs.get(0)), known(inputs.get(1)))};
        types = new DataType[] {COMPARISON.contains(type) ? DataType.DT_BOOL : t};
      } else if (type.equals("SelectV2")) {
        arity(3);
        if (inputs.get(0).dataType() != DataType.DT_BOOL) {
          throw new Unknown("select on a condition of type " + inputs.get(0).dataType());
        }
        DataType t = same(floatOf(inputs.get(1)), floatOf(inputs.get(2)));
        shapes = new Shape[] {broadcast(known(inputs.get(0)), broadcast(known(inputs.get(1)), known(inputs.get(2))))};
        types = new DataType[] {t};
      } else if (type.equals("Cast")) {
        arity(1);
        floatOf(inputs.get(0));
        if (typeAttr == null || !floating(typeAttr)) {
          throw new Unknown("cast to " + typeAttr);
        }
        shapes = new Shape[] {known(inputs.get(0))};
        types = new DataType[] {typeAttr};
      } else if (type.equals("IdentityN")) {
        shapes = new Shape[inputs.size()];
        types = new DataType[inputs.size()];
        for (int i = 0; i < shapes.length; i++) {
          shapes[i] = known(inputs.get(i));
          types[i] = inputs.get(i).dataType();
        }
      } else if (type.equals("ConcatV2")) {
        if (inputs.size() < 3) {
          throw new Unknown("concat of fewer than two tensors");
        }
        long[] a = valueOf(inputs.get(inputs.size() - 1));
        if (known(inputs.get(inputs.size() - 1)).numDimensions() != 0) {
          throw new Unknown("concat axis of shape " + inputs.get(inputs.size() - 1).shape());
        }
        shapes = new Shape[] {concat(a[0])};
        types = new DataType[] {inputs.get(0).dataType()};
      } else if (type.equals("Slice")) {
        arity(3);
        same(inputs.get(1).dataType(), inputs.get(2).dataType());
        shapes = new Shape[] {slice(known(inputs.get(0)), valueOf(inputs.get(1)), valueOf(inputs.get(2)))};
        types = new DataType[] {floatOf(inputs.get(0))};
      } else if (type.equals("Reshape")) {
        arity(2);
        shapes = new Shape[] {reshape(known(inputs.get(0)), valueOf(inputs.get(1)))};
        types = new DataType[] {floatOf(inputs.get(0))};
      } else if (type.equals("Mean") || type.equals("Sum")) {
        arity(2);
        shapes = new Shape[] {reduce(known(inputs.get(0)), valueOf(inputs.get(1)))};
        types = new DataType[] {floatOf(inputs.get(0))};
      } else if (type.equals("Shape")) {
        arity(1);
        if (typeAttr != DataType.DT_INT32 && typeAttr != DataType.DT_INT64) {
          throw new Unknown("shape of type " + typeAttr);
        }
        Shape in = known(inputs.get(0));
        value = in.asArray();
        shapes = new Shape[] {Shape.of(value.length)};
        types = new DataType[] {typeAttr};
      } else if (type.equals("BroadcastTo")) {
        arity(2);
        Shape to = fromValue(valueOf(inputs.get(1)));
        if (!broadcast(known(inputs.get(0)), to).equals(to)) {
          throw new Unknown("broadcast of " + inputs.get(0).shape() + " to " + to);
        }
        shapes = new Shape[] {to};
        types = new DataType[] {floatOf(inputs.get(0))};
      } else if (type.equals("Fill")) {
        arity(2);
        if (known(inputs.get(1)).numDimensions() != 0) {
          throw new Unknown("fill with a value of shape " + inputs.get(1).shape());
        }
        shapes = new Shape[] {fromValue(valueOf(inputs.get(0)))};
        types = new DataType[] {floatOf(inputs.get(1))};
      } else if (type.equals("ClipByValue")) {
        arity(3);
        Shape in = known(inputs.get(0));
        DataType t = floatOf(inputs.get(0));
        for (int i = 1; i < 3; i++) {
          same(t, floatOf(inputs.get(i)));
          Shape b = known(inputs.get(i));
          if (b.numDimensions() != 0 && !b.equals(in)) {
            throw new Unknown("clip of " + in + " by a bound of shape " + b);
          }
        }
        shapes = new Shape[] {in};
        types = new DataType[] {t};
      } else {
        throw new Unknown("op type " + type + " is not traced in Java");
      }
      TracedOperation op = new TracedOperation(ShapeGraph.this, name, type, shapes, types,
          type.equals("IdentityN") ? "output" : null);
      if (value != null) {
        values.put(op, value);
      }
      return op;
    }

    @Override
    public OperationBuilder addInput(Output<?> input) {
      checkInput(input.op());
      inputs.add(input);
      return this;
    }

    @Override
    public OperationBuilder addInputList(Output<?>[] list) {
      if (!type.equals("IdentityN") && !type.equals("ConcatV2")) {
        throw new Unknown("op type " + type + " with an input list is not traced in Java");
      }
      for (Output<?> o : list) {
        addInput(o);
      }
      return this;
    }

    @Override
    public OperationBuilder addControlInput(Operation control) {
      checkInput(control);
      return this;
    }

    @Override
    public OperationBuilder setDevice(String device) {
      return this;
    }

    @Override
    public OperationBuilder setAttr(String attr, DataType value) {
      boolean read = attr.equals(type.equals("Cast") ? "DstT" : type.equals("Shape") ? "out_type" : "dtype")
          && (type.equals("Cast") || type.equals("Shape") || type.equals("Const") || type.equals("Placeholder"));
      if (!read) {
        return other(attr);
      }
      typeAttr = value;
      return this;
    }

    @Override
    public OperationBuilder setAttr(String attr, Shape value) {
      if (!attr.equals("shape") || !type.equals("Placeholder")) {
        return other(attr);
      }
      shapeAttr = value;
      return this;
    }

    @Override
    public OperationBuilder setAttr(String attr, Tensor value) {
      if (!attr.equals("value") || !type.equals("Const")) {
        return other(attr);
      }
      shapeAttr = value.shape();
      typeAttr = value.dataType();
      if (shapeAttr.numDimensions() <= 1 && (value instanceof TInt32 || value instanceof TInt64)) {
        long[] v = new long[shapeAttr.numDimensions() == 0 ? 1 : (int) shapeAttr.size(0)];
        for (int i = 0; i < v.length; i++) {
          long[] at = shapeAttr.numDimensions() == 0 ? new long[0] : new long[] {i};
          v[i] = value instanceof TInt32 n ? n.getInt(at) : ((TInt64) value).getLong(at);
        }
        this.value = v;
      }
      return this;
    }

    /** An attribute the ops inferred here are not built with (TensorFlow infers their T): refused. */
    private OperationBuilder other(String attr) {
      throw new Unknown("attribute " + attr + " of " + type + " is not traced in Java");
    }

    @Override
    public OperationBuilder setAttr(String attr, String[] value) {
      return other(attr);
    }

    @Override
    public OperationBuilder setAttr(String attr, String value) {
      return other(attr);
    }

    @Override
    public OperationBuilder setAttr(String attr, byte[] value) {
      return other(attr);
    }

    @Override
    public OperationBuilder setAttr(String attr, long value) {
      return other(attr);
    }

    @Override
    public OperationBuilder setAttr(String attr, long[] value) {
      return other(attr);
    }

    @Override
    public OperationBuilder setAttr(String attr, float value) {
      return other(attr);
    }

    @Override
    public OperationBuilder setAttr(String attr, float[] value) {
      return other(attr);
    }

    @Override
    public OperationBuilder setAttr(String attr, boolean value) {
      if (!attr.equals("keep_dims") || !(type.equals("Mean") || type.equals("Sum"))) {
        return other(attr);
      }
      keepDims = value;
      return this;
    }

    @Override
    public OperationBuilder setAttr(String attr, boolean[] value) {
      return other(attr);
    }

    @Override
    public OperationBuilder setAttr(String attr, DataType[] value) {
      return other(attr);
    }

    @Override
    public OperationBuilder setAttr(String attr, Tensor[] value) {
      return other(attr);
    }

    @Override
    public OperationBuilder setAttr(String attr, Shape[] value) {
      return other(attr);
    }

    @Override
    public OperationBuilder setAttr(String attr, ConcreteFunction value) {
      return other(attr);
    }

    @Override
    public OperationBuilder setAttr(String attr, ConcreteFunction[] value) {
      return other(attr);
    }

    @Override
    public OperationBuilder setAttr(String attr, AttrValue value) {
      return other(attr);
    }
  }
}
