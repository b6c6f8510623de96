package org.diffuse4j.api.tensor;

import org.tensorflow.op.Ops;

/** Graph op names with '/'-separated scopes (TF Java's withName accepts no '/'). */
public final class Names {
  private Names() {}

  /**
   * Ops whose next op is named exactly {@code path}, e.g. "mlp/layer0/w".
   *
   * @param tf the ops to derive from
   * @param path scopes and the op name separated by '/'; the last part is the op name
   * @return ops in the sub-scopes of {@code path} whose next op takes its last part as name
   */
  public static Ops named(Ops tf, String path) {
    String[] parts = path.split("/");
    Ops scoped = tf;
    for (int i = 0; i < parts.length - 1; i++) {
      scoped = scoped.withSubScope(parts[i]);
    }
    return scoped.withName(parts[parts.length - 1]);
  }
}
