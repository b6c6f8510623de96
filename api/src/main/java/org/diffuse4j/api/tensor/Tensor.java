package org.diffuse4j.api.tensor;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * An immutable floating tensor expression, a thin facade over TensorFlow ops so that solver and
 * objective code reads like the maths: {@code x.times(a).plus(eps.times(b))}. Scalars (Java
 * doubles) broadcast; tensors broadcast by NumPy rules.
 */
public final class Tensor {
  private final Backend backend;
  private final Operand<TNumber> op;

  @SuppressWarnings("unchecked")
  Tensor(Backend backend, Operand<?> op) {
    this.backend = backend;
    this.op = (Operand<TNumber>) op;
  }

  /**
   * The backend this tensor was built on.
   *
   * @return the backend whose graph or eager session owns this tensor's op
   */
  public Backend backend() {
    return backend;
  }

  /**
   * The underlying TensorFlow operand, for code (networks, runtime) that needs raw ops.
   *
   * @return the TensorFlow operand this tensor wraps
   */
  public Operand<TNumber> op() {
    return op;
  }

  private Ops tf() {
    return backend.tf();
  }

  private Tensor of(Operand<?> o) {
    return new Tensor(backend, o);
  }

  private Operand<TNumber> c(double v) {
    return backend.scalar(v).op;
  }

  /**
   * Static shape (dimensions may be -1 when unknown).
   *
   * @return the static shape; unknown dimensions are -1
   */
  public Shape shape() {
    return op.shape();
  }

  /**
   * Number of dimensions.
   *
   * @return the rank, or -1 when the rank is unknown
   */
  public int rank() {
    return op.shape().numDimensions();
  }

  /**
   * this + o, elementwise (broadcasting).
   *
   * @param o the addend, broadcast against this
   * @return the elementwise sum, of the broadcast shape
   */
  public Tensor plus(Tensor o) {
    return of(tf().math.add(op, o.op));
  }

  /**
   * this + b with b added along the last axis (TensorFlow's BiasAdd: one kernel, and a bias gradient
   * summed by BiasAddGrad; the backends fuse it with a preceding MatMul or Conv2D).
   *
   * @param b the bias, of the last axis's size ([C], or [1, C] as the networks store it)
   * @return this + b, same shape as this
   */
  public Tensor plusBias(Tensor b) {
    SecondOrderGradients.ensureRegistered();
    return of(tf().nn.biasAdd(op, b.rank() == 1 ? b.op : b.reshape(-1).op));
  }

  /**
   * this + v.
   *
   * @param v the scalar added to every element
   * @return this + v, same shape as this (this itself when v is 0)
   */
  public Tensor plus(double v) {
    return v == 0 ? this : of(tf().math.add(op, c(v)));
  }

  /**
   * this − o, elementwise (broadcasting).
   *
   * @param o the subtrahend, broadcast against this
   * @return the elementwise difference, of the broadcast shape
   */
  public Tensor minus(Tensor o) {
    return of(tf().math.sub(op, o.op));
  }

  /**
   * this − v.
   *
   * @param v the scalar subtracted from every element
   * @return this − v, same shape as this
   */
  public Tensor minus(double v) {
    return plus(-v);
  }

  /**
   * this · o, elementwise (broadcasting).
   *
   * @param o the factor, broadcast against this
   * @return the elementwise product, of the broadcast shape
   */
  public Tensor times(Tensor o) {
    return of(tf().math.mul(op, o.op));
  }

  /**
   * this · v.
   *
   * @param v the scalar factor
   * @return this · v, same shape as this (this itself when v is 1)
   */
  public Tensor times(double v) {
    return v == 1 ? this : of(tf().math.mul(op, c(v)));
  }

  /**
   * this / o, elementwise (broadcasting).
   *
   * @param o the divisor, broadcast against this
   * @return the elementwise quotient, of the broadcast shape
   */
  public Tensor div(Tensor o) {
    return of(tf().math.div(op, o.op));
  }

  /**
   * this / v.
   *
   * @param v the scalar divisor (non-zero)
   * @return this / v, same shape as this
   */
  public Tensor div(double v) {
    return times(1.0 / v);
  }

  /**
   * v − this.
   *
   * @param v the scalar minuend
   * @return v − this, same shape as this
   */
  public Tensor rsub(double v) {
    return of(tf().math.sub(c(v), op));
  }

  /**
   * v / this.
   *
   * @param v the scalar numerator
   * @return v / this, same shape as this
   */
  public Tensor rdiv(double v) {
    return of(tf().math.div(c(v), op));
  }

  /**
   * −this.
   *
   * @return −this, same shape as this
   */
  public Tensor neg() {
    return of(tf().math.neg(op));
  }

  /**
   * this², elementwise.
   *
   * @return this², same shape as this
   */
  public Tensor square() {
    return of(tf().math.square(op));
  }

  /**
   * √this, elementwise.
   *
   * @return √this, same shape as this (NaN where this &lt; 0)
   */
  public Tensor sqrt() {
    return of(tf().math.sqrt(op));
  }

  /**
   * exp(this), elementwise.
   *
   * @return exp(this), same shape as this
   */
  public Tensor exp() {
    return of(tf().math.exp(op));
  }

  /**
   * exp(this) − 1, elementwise (accurate near 0).
   *
   * @return exp(this) − 1, same shape as this
   */
  public Tensor expm1() {
    return of(tf().math.expm1(op));
  }

  /**
   * The natural logarithm, elementwise.
   *
   * @return ln(this), same shape as this
   */
  public Tensor log() {
    return of(tf().math.log(op));
  }

  /**
   * |this|, elementwise.
   *
   * @return |this|, same shape as this
   */
  public Tensor abs() {
    return of(tf().math.abs(op));
  }

  /**
   * sin(this), elementwise.
   *
   * @return sin(this), same shape as this (argument in radians)
   */
  public Tensor sin() {
    return of(tf().math.sin(op));
  }

  /**
   * cos(this), elementwise.
   *
   * @return cos(this), same shape as this (argument in radians)
   */
  public Tensor cos() {
    return of(tf().math.cos(op));
  }

  /**
   * tanh(this), elementwise.
   *
   * @return tanh(this), same shape as this, in (−1, 1)
   */
  public Tensor tanh() {
    return of(tf().math.tanh(op));
  }

  /**
   * 1/(1 + exp(−this)), elementwise.
   *
   * @return sigmoid(this), same shape as this, in (0, 1)
   */
  public Tensor sigmoid() {
    return of(tf().math.sigmoid(op));
  }

  /**
   * x·sigmoid(x) (SiLU / swish).
   *
   * @return this·sigmoid(this), same shape as this
   */
  public Tensor silu() {
    return times(sigmoid());
  }

  /**
   * max(this, o), elementwise (broadcasting).
   *
   * @param o the other operand, broadcast against this
   * @return the elementwise maximum, of the broadcast shape
   */
  public Tensor max(Tensor o) {
    return of(tf().math.maximum(op, o.op));
  }

  /**
   * min(this, o), elementwise (broadcasting).
   *
   * @param o the other operand, broadcast against this
   * @return the elementwise minimum, of the broadcast shape
   */
  public Tensor min(Tensor o) {
    return of(tf().math.minimum(op, o.op));
  }

  /**
   * this clipped to [lo, hi].
   *
   * @param lo the lower bound
   * @param hi the upper bound (≥ lo)
   * @return min(max(this, lo), hi), same shape as this
   */
  public Tensor clip(double lo, double hi) {
    return of(tf().clipByValue(op, c(lo), c(hi)));
  }

  /**
   * Elementwise select: where this &gt; 0 take a, else b.
   *
   * @param a the values taken where this &gt; 0, broadcast to this tensor's shape
   * @param b the values taken elsewhere, broadcast to this tensor's shape
   * @return the selection, same shape as this
   */
  public Tensor wherePositive(Tensor a, Tensor b) {
    Operand<TBool> cond = tf().math.greater(op, c(0));
    Operand<TNumber> aa = tf().broadcastTo(a.op, tf().shape(op));
    Operand<TNumber> bb = tf().broadcastTo(b.op, tf().shape(op));
    return of(tf().select(cond, aa, bb));
  }

  /**
   * Sum of all elements (a scalar).
   *
   * @return the sum of all elements, a scalar (rank 0)
   */
  public Tensor sum() {
    return of(tf().reduceSum(op, allAxes()));
  }

  /**
   * Mean of all elements (a scalar).
   *
   * @return the mean of all elements, a scalar (rank 0)
   */
  public Tensor mean() {
    return of(tf().math.mean(op, allAxes()));
  }

  /**
   * Sum over the given axes (dropped).
   *
   * @param axes the axes to reduce (0-based; negative counts from the end)
   * @return the sum, with the reduced axes removed
   */
  public Tensor sum(int... axes) {
    return of(tf().reduceSum(op, tf().constant(axes)));
  }

  /**
   * Mean over the given axes (dropped).
   *
   * @param axes the axes to reduce (0-based; negative counts from the end)
   * @return the mean, with the reduced axes removed
   */
  public Tensor mean(int... axes) {
    return of(tf().math.mean(op, tf().constant(axes)));
  }

  /**
   * Per-sample mean over every axis but the first: shape [B].
   *
   * @return the per-sample means, shape [B] for this of shape [B, ...] (rank ≥ 2)
   */
  public Tensor meanPerSample() {
    return of(tf().math.mean(op, nonBatchAxes()));
  }

  /**
   * Per-sample sum over every axis but the first: shape [B].
   *
   * @return the per-sample sums, shape [B] for this of shape [B, ...] (rank ≥ 2)
   */
  public Tensor sumPerSample() {
    return of(tf().reduceSum(op, nonBatchAxes()));
  }

  /**
   * Matrix product this · o.
   *
   * @param o the right factor, [.., k, n] when this is [.., m, k]
   * @return the matrix product, [.., m, n]
   */
  public Tensor matmul(Tensor o) {
    return of(tf().linalg.matMul(op, o.op));
  }

  /**
   * Concatenation along an axis.
   *
   * @param axis the axis to concatenate along (0-based; negative counts from the end)
   * @param others the tensors appended after this, in order; equal in every other dimension
   * @return the concatenation, this first
   */
  public Tensor concat(int axis, Tensor... others) {
    List<Operand<TNumber>> ops = new ArrayList<>();
    ops.add(op);
    for (Tensor t : others) {
      ops.add(t.op);
    }
    return of(tf().concat(ops, tf().constant(axis)));
  }

  /**
   * Reshape (one dimension may be -1).
   *
   * @param shape the new dimensions, with the same element count; at most one may be -1 (inferred)
   * @return this tensor's elements in row-major order, with the given shape
   */
  public Tensor reshape(long... shape) {
    return of(tf().reshape(op, tf().constant(shape)));
  }

  /**
   * Broadcast this (a scalar or per-sample column) to the shape of {@code like}.
   *
   * @param like the tensor whose (dynamic) shape to broadcast to
   * @return this broadcast to the shape of {@code like}
   */
  public Tensor broadcastLike(Tensor like) {
    return of(tf().broadcastTo(op, tf().shape(like.op)));
  }

  /**
   * A tensor of zeros with this tensor's shape.
   *
   * @return zeros, same shape as this
   */
  public Tensor zerosLike() {
    return of(tf().zerosLike(op));
  }

  /**
   * The block of the first axis [from, from+size) (size -1 = to the end).
   *
   * @param from the first index along axis 0
   * @param size the number of rows, or -1 for all rows from {@code from} to the end
   * @return rows [from, from+size) of this, every other axis whole
   */
  public Tensor rows(long from, long size) {
    long[] begin = new long[Math.max(rank(), 1)];
    long[] len = new long[begin.length];
    java.util.Arrays.fill(len, -1);
    begin[0] = from;
    len[0] = size;
    return of(tf().slice(op, tf().constant(begin), tf().constant(len)));
  }

  /**
   * Gradient of this scalar with respect to {@code x}. Graph mode only.
   *
   * @param x the tensor to differentiate with respect to, an input this was built from
   * @return ∂this/∂x (summed over this if it is not a scalar), same shape as x
   */
  public Tensor gradient(Tensor x) {
    Gradients g = tf().gradients(op, List.of(x.op));
    return of(g.dy(0));
  }

  /**
   * Forward-mode derivative (JVP) Σᵢ (∂this/∂xᵢ)·vᵢ by two reverse passes (the double-VJP trick):
   * the VJPs gᵢ(u) = (∂this/∂xᵢ)ᵀu for a dummy u of this shape, then J·v = ∂(Σᵢ⟨gᵢ(u), vᵢ⟩)/∂u, which
   * does not depend on u. Graph mode only; every op between the inputs and this needs a gradient
   * that has a gradient itself, in TensorFlow's C++ registry or among those the first call registers
   * process-wide for the ops it lacks (tanh, sigmoid, sqrt, rsqrt, reciprocal, nearest resize;
   * docs/few-step.md lists what works).
   *
   * @param inputs the tensors xᵢ this was built from (one this does not depend on contributes 0)
   * @param tangents the directions vᵢ, one per input, each of its input's shape
   * @return the directional derivative, of this tensor's shape
   */
  public Tensor jvp(List<Tensor> inputs, List<Tensor> tangents) {
    if (inputs.size() != tangents.size() || inputs.isEmpty()) {
      throw new IllegalArgumentException(
          "jvp needs one tangent per input, got " + inputs.size() + " inputs and " + tangents.size() + " tangents");
    }
    SecondOrderGradients.ensureRegistered();
    // TensorFlow refuses to differentiate with respect to an input this does not depend on (e.g. a
    // time the network ignores): such inputs add nothing to J·v and are left out.
    java.util.Set<String> reached = usedOutputs(op);
    List<Operand<?>> xs = new ArrayList<>();
    List<Operand<?>> vs = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      Operand<?> x = inputs.get(i).op;
      if (reached.contains(key(x))) {
        xs.add(x);
        vs.add(tangents.get(i).op);
      }
    }
    if (xs.isEmpty()) {
      return zerosLike();
    }
    // g is linear in u, so the value of u does not matter; zeros of this shape.
    Operand<TNumber> u = tf().fill(tf().shape(op), c(0));
    Gradients vjp = tf().gradients(List.of(op), xs, Gradients.dx(List.of(u)));
    Gradients jv = tf().gradients(vjp.dy(), List.of(u), Gradients.dx(vs));
    return of(jv.dy(0));
  }

  private static String key(Operand<?> o) {
    return o.asOutput().op().name() + ":" + o.asOutput().index();
  }

  /** The outputs ("op:index") that {@code y} depends on through data inputs, y's own included. */
  private static java.util.Set<String> usedOutputs(Operand<?> y) {
    java.util.Set<String> used = new java.util.HashSet<>();
    java.util.Set<String> visited = new java.util.HashSet<>();
    java.util.ArrayDeque<org.tensorflow.GraphOperation> todo = new java.util.ArrayDeque<>();
    used.add(key(y));
    todo.push((org.tensorflow.GraphOperation) y.asOutput().op());
    while (!todo.isEmpty()) {
      org.tensorflow.GraphOperation o = todo.pop();
      if (!visited.add(o.name())) {
        continue;
      }
      for (Operand<?> in : o.inputs()) {
        used.add(key(in));
        todo.push((org.tensorflow.GraphOperation) in.asOutput().op());
      }
    }
    return used;
  }

  /**
   * Stops gradients flowing through this value.
   *
   * @return this value, same shape, seen as a constant by gradients
   */
  public Tensor stopGradient() {
    return of(tf().stopGradient(op));
  }

  private Operand<TInt32> allAxes() {
    int n = rank();
    if (n < 0) {
      throw new IllegalStateException("reduction needs a known rank");
    }
    int[] axes = new int[n];
    for (int i = 0; i < n; i++) {
      axes[i] = i;
    }
    return tf().constant(axes);
  }

  private Operand<TInt32> nonBatchAxes() {
    int n = rank();
    if (n < 2) {
      throw new IllegalStateException("per-sample reduction needs rank >= 2, got shape " + shape());
    }
    int[] axes = new int[n - 1];
    for (int i = 1; i < n; i++) {
      axes[i - 1] = i;
    }
    return tf().constant(axes);
  }

  @Override
  public String toString() {
    return "Tensor" + shape() + "(" + op.op().name() + ")";
  }
}
