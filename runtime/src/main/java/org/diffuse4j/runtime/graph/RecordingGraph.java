package org.diffuse4j.runtime.graph;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.OpScope;
import org.tensorflow.op.Scope;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * A graph environment that records every op built through it: its structure (type, attributes and
 * inputs, with each floating scalar {@code Const} replaced by a numbered parameter) as a signature
 * string, and the parameters' values and ops. Two pieces of code that build the same signature
 * build the same computation up to those scalars, so one graph serves both with the scalars fed.
 * The environment it builds into can be switched ({@link #use}), so code can be traced step after
 * step into small throw-away graphs, or into a {@link ShapeGraph}, which builds no TensorFlow op.
 */
public final class RecordingGraph implements ExecutionEnvironment {
  /** Thrown when a traced op reads a value that is neither built in this step nor declared as an input. */
  public static final class Unrecorded extends RuntimeException {
    Unrecorded(String message) {
      super(message);
    }
  }

  private final OpScope scope = new OpScope(this);
  private ExecutionEnvironment graph;
  private boolean signatures;
  private int opaque;
  private final Map<Operation, String> refs = new IdentityHashMap<>();
  private StringBuilder signature = new StringBuilder();
  private double[] params = new double[16];
  private int paramCount;
  private long size;
  private final List<Operation> paramOps = new ArrayList<>();

  /** Records into {@code graph}; {@code signatures} also builds the signature (needs every input declared). */
  public RecordingGraph(ExecutionEnvironment graph, boolean signatures) {
    this.graph = graph;
    this.signatures = signatures;
  }

  /** Builds from now on into {@code g} (a {@link Graph} or a {@link ShapeGraph}). */
  public void use(ExecutionEnvironment g) {
    this.graph = g;
  }

  /** Starts a new record: forgets the previous signature, parameters and inputs. */
  public void begin() {
    refs.clear();
    signature = new StringBuilder();
    paramCount = 0;
    paramOps.clear();
  }

  /** Ops recorded since the last {@link #clearSize}. */
  public long size() {
    return size;
  }

  /** Restarts the count of {@link #size}. */
  public void clearSize() {
    size = 0;
  }

  /** Declares {@code operand} (built elsewhere) as a named input of the record. */
  public void input(Operand<?> operand, String name) {
    Operation op = operand.op();
    refs.put(op, name + Arrays.toString(operand.shape().asArray()));
  }

  /** Runs {@code body} without recording parameters (a network call, whose constants never vary). */
  public <T> T opaque(Supplier<T> body) {
    opaque++;
    try {
      return body.get();
    } finally {
      opaque--;
    }
  }

  /** The reference the signature uses for an output: its op's number in the record or its input name. */
  public String ref(Output<?> output) {
    String r = refs.get(output.op());
    if (r == null) {
      if (signatures) {
        throw new Unrecorded("op " + output.op().name() + " (" + output.op().type() + ") was built outside the traced step");
      }
      r = "?" + output.op().name();
    }
    return r + ":" + output.index();
  }

  /** Appends a free-form note to the signature (for example which outputs the step returns). */
  public void note(String s) {
    signature.append(s).append('\n');
  }

  /** The signature of everything recorded since {@link #begin}. */
  public String signature() {
    return signature.toString();
  }

  /** Values of the floating scalar constants recorded since {@link #begin}, in build order. */
  public double[] params() {
    return Arrays.copyOf(params, paramCount);
  }

  /** The ops of those constants (feed a value into output 0 to replace one). */
  public List<Operation> paramOps() {
    return List.copyOf(paramOps);
  }

  @Override
  public OperationBuilder opBuilder(String type, String name, Scope s) {
    return new Recorder(graph.opBuilder(type, name, s), type);
  }

  @Override
  public void attachFunction(ConcreteFunction function) {
    graph.attachFunction(function);
  }

  @Override
  public void checkInput(Operation input) {
    graph.checkInput(input);
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
    return graph.isInitializer(op);
  }

  private static String digest(Tensor t) {
    byte[] b = new byte[(int) t.asRawTensor().numBytes()];
    t.asRawTensor().data().read(b);
    if (b.length <= 64) {
      return HexFormat.of().formatHex(b);
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Records one op's type, attributes and inputs while building it. */
  private final class Recorder implements OperationBuilder {
    private final OperationBuilder inner;
    private final StringBuilder sb = new StringBuilder();
    private final boolean constant;
    private boolean param;
    private double value;

    Recorder(OperationBuilder inner, String type) {
      this.inner = inner;
      this.constant = type.equals("Const");
      sb.append(type);
    }

    private OperationBuilder attr(String name, Object v) {
      sb.append(' ').append(name).append('=').append(v);
      return this;
    }

    @Override
    public Operation build() {
      Operation op = inner.build();
      if (param && opaque == 0) {
        if (paramCount == params.length) {
          params = Arrays.copyOf(params, 2 * paramCount);
        }
        params[paramCount++] = value;
        paramOps.add(op);
      }
      refs.put(op, "#" + refs.size());
      size++;
      signature.append(sb).append('\n');
      return op;
    }

    @Override
    public OperationBuilder addInput(Output<?> input) {
      inner.addInput(input);
      sb.append(" <").append(ref(input));
      return this;
    }

    @Override
    public OperationBuilder addInputList(Output<?>[] inputs) {
      inner.addInputList(inputs);
      sb.append(" <[");
      for (Output<?> o : inputs) {
        sb.append(ref(o)).append(',');
      }
      sb.append(']');
      return this;
    }

    @Override
    public OperationBuilder addControlInput(Operation control) {
      inner.addControlInput(control);
      String r = refs.get(control);
      if (r == null && signatures) {
        throw new Unrecorded("control input " + control.name() + " was built outside the traced step");
      }
      sb.append(" ^").append(r);
      return this;
    }

    @Override
    public OperationBuilder setDevice(String device) {
      inner.setDevice(device);
      return attr("device", device);
    }

    @Override
    public OperationBuilder setAttr(String name, String[] v) {
      inner.setAttr(name, v);
      return attr(name, Arrays.toString(v));
    }

    @Override
    public OperationBuilder setAttr(String name, String v) {
      inner.setAttr(name, v);
      return attr(name, v);
    }

    @Override
    public OperationBuilder setAttr(String name, byte[] v) {
      inner.setAttr(name, v);
      return attr(name, HexFormat.of().formatHex(v));
    }

    @Override
    public OperationBuilder setAttr(String name, long v) {
      inner.setAttr(name, v);
      return attr(name, v);
    }

    @Override
    public OperationBuilder setAttr(String name, long[] v) {
      inner.setAttr(name, v);
      return attr(name, Arrays.toString(v));
    }

    @Override
    public OperationBuilder setAttr(String name, float v) {
      inner.setAttr(name, v);
      return attr(name, Float.floatToRawIntBits(v));
    }

    @Override
    public OperationBuilder setAttr(String name, float[] v) {
      inner.setAttr(name, v);
      return attr(name, Arrays.toString(v));
    }

    @Override
    public OperationBuilder setAttr(String name, boolean v) {
      inner.setAttr(name, v);
      return attr(name, v);
    }

    @Override
    public OperationBuilder setAttr(String name, boolean[] v) {
      inner.setAttr(name, v);
      return attr(name, Arrays.toString(v));
    }

    @Override
    public OperationBuilder setAttr(String name, DataType v) {
      inner.setAttr(name, v);
      return attr(name, v);
    }

    @Override
    public OperationBuilder setAttr(String name, DataType[] v) {
      inner.setAttr(name, v);
      return attr(name, Arrays.toString(v));
    }

    @Override
    public OperationBuilder setAttr(String name, Tensor v) {
      boolean scalar = constant && v.shape().numDimensions() == 0;
      if (scalar && v instanceof TFloat32 f) {
        param = true;
        value = f.getFloat();
        attr(name, "P(float)");
      } else if (scalar && v instanceof TFloat64 d) {
        param = true;
        value = d.getDouble();
        attr(name, "P(double)");
      } else {
        attr(name, v.dataType() + v.shape().toString() + digest(v));
      }
      inner.setAttr(name, v);
      return this;
    }

    @Override
    public OperationBuilder setAttr(String name, Tensor[] v) {
      StringBuilder s = new StringBuilder();
      for (Tensor t : v) {
        s.append(t.dataType()).append(t.shape()).append(digest(t)).append(',');
      }
      inner.setAttr(name, v);
      return attr(name, s);
    }

    @Override
    public OperationBuilder setAttr(String name, Shape v) {
      inner.setAttr(name, v);
      return attr(name, v);
    }

    @Override
    public OperationBuilder setAttr(String name, Shape[] v) {
      inner.setAttr(name, v);
      return attr(name, Arrays.toString(v));
    }

    @Override
    public OperationBuilder setAttr(String name, ConcreteFunction v) {
      inner.setAttr(name, v);
      return attr(name, "fn:" + v.getDefinedName());
    }

    @Override
    public OperationBuilder setAttr(String name, ConcreteFunction[] v) {
      inner.setAttr(name, v);
      StringBuilder s = new StringBuilder();
      for (ConcreteFunction f : v) {
        s.append(f.getDefinedName()).append(',');
      }
      return attr(name, "fn:" + s);
    }

    @Override
    public OperationBuilder setAttr(String name, AttrValue v) {
      inner.setAttr(name, v);
      return attr(name, v.toString().replace('\n', ' '));
    }
  }
}
