package org.diffuse4j.networks;

import org.diffuse4j.api.plugin.Option;

/** Options of the {@code mlp} network plugin. */
public record MlpOptions(
    @Option(doc = "hidden layer width", def = "128", min = 1, max = 65536) int width,
    @Option(doc = "number of hidden layers", def = "3", min = 1, max = 64) int depth,
    @Option(doc = "size of the sinusoidal time embedding (even)", def = "32", min = 2, max = 4096) int time_embedding,
    @Option(doc = "hidden nonlinearity", def = "silu") Activation activation,
    @Option(doc = "scale applied to t before the embedding (1000 matches DDPM's integer steps)", def = "1000", min = 0) double time_scale,
    @Option(doc = "classes of the learned class embedding added to the time embedding (0 = unconditional); "
        + "class num_classes is the null class, used for negative labels and no condition", def = "0", min = 0, max = 1e6) int num_classes,
    @Option(doc = "time labels read: 1, or 2 for a two-time flow-map network (s, t), embedded as s and s − t", def = "1",
        min = 1, max = 2) int times,
    @Option(doc = "read the guidance scale w of the condition (a guidance-distilled student, Meng et al. 2023): "
        + "a sinusoidal embedding of w, projected and added to the time embedding", def = "false") boolean guidance_input) {

  /** A one-time network (times = 1). */
  public MlpOptions(int width, int depth, int time_embedding, Activation activation, double time_scale, int num_classes) {
    this(width, depth, time_embedding, activation, time_scale, num_classes, 1);
  }

  /** A network that does not read the guidance scale. */
  public MlpOptions(int width, int depth, int time_embedding, Activation activation, double time_scale, int num_classes,
      int times) {
    this(width, depth, time_embedding, activation, time_scale, num_classes, times, false);
  }

  public MlpOptions {
    if (time_embedding % 2 != 0) {
      throw new IllegalArgumentException("time_embedding must be even, got " + time_embedding);
    }
  }
}
