package org.diffuse4j.networks.unet;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.model.Weights;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;

/**
 * Creates a network's graph variables: hierarchical names such as {@code unet/down0/res1/conv1/w}
 * (so a checkpoint restores by name) and deterministic initial values. A variable's initial value
 * depends only on (seed, its name), via {@link CounterNoise}: adding a layer does not change the
 * initial values of the others. {@link Weights} decides whether they become variables or fixed values.
 */
final class Params {
  private static final long STREAM = 0x0e7;

  private final Backend backend;
  private final long seed;
  private final Weights weights;
  /** One TensorFlow sub-scope per path, created once (TF makes a repeated sub-scope name unique). */
  private final Map<String, Ops> scopes = new HashMap<>();

  Params(Backend backend, long seed) {
    this(backend, seed, Weights.trainable());
  }

  Params(Backend backend, long seed, Weights weights) {
    this.backend = backend;
    this.seed = seed;
    this.weights = weights;
  }

  Backend backend() {
    return backend;
  }

  List<Variable<?>> variables() {
    return weights.variables();
  }

  /** A variable of independent N(0, std²) values. */
  Tensor normal(String name, double std, long... shape) {
    int n = size(shape);
    double[] v = new double[n];
    if (std != 0) {
      long key = key(name);
      for (int i = 0; i < n; i++) {
        v[i] = std * CounterNoise.gaussian(seed, key, STREAM, i);
      }
    }
    return variable(name, v, shape);
  }

  /** A variable filled with one value. */
  Tensor filled(String name, double value, long... shape) {
    double[] v = new double[size(shape)];
    java.util.Arrays.fill(v, value);
    return variable(name, v, shape);
  }

  private Tensor variable(String name, double[] values, long... shape) {
    Tensor init = backend.constant(values, shape);
    int slash = name.lastIndexOf('/');
    Ops scope = slash < 0 ? backend.tf() : scope(name.substring(0, slash));
    return weights.create(scope.withName(name.substring(slash + 1)), init);
  }

  private Ops scope(String path) {
    Ops known = scopes.get(path);
    if (known != null) {
      return known;
    }
    int slash = path.lastIndexOf('/');
    Ops parent = slash < 0 ? backend.tf() : scope(path.substring(0, slash));
    Ops created = parent.withSubScope(path.substring(slash + 1));
    scopes.put(path, created);
    return created;
  }

  private static int size(long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return Math.toIntExact(n);
  }

  /** FNV-1a hash of the name: a stable sample index for {@link CounterNoise}. */
  private static long key(String name) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < name.length(); i++) {
      h = (h ^ name.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }
}
