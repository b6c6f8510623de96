package org.diffuse4j.api;

/**
 * Counter-based Gaussian noise: the value for (seed, sample, stream, component) is a pure function
 * of those four integers (SplitMix64 mixing, then Box–Muller), so samples do not depend on batch
 * size, sharding or the order in which steps run. Streams are numbered by the caller (e.g. the
 * initial noise is stream 0 and solver step k draws stream k + 1).
 */
public final class CounterNoise {
  private CounterNoise() {}

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private static long key(long seed, long sample, long stream) {
    long h = mix(seed + 0x9e3779b97f4a7c15L);
    h = mix(h ^ (sample * 0xd1b54a32d192ed03L));
    return mix(h ^ (stream * 0x8cb92ba72f3d8dd7L));
  }

  /** A uniform double in (0, 1) from 53 random bits. */
  private static double uniform(long bits) {
    return ((bits >>> 11) + 0.5) * 0x1.0p-53;
  }

  /**
   * One standard normal value for (seed, sample, stream, component).
   *
   * @param seed the run's seed
   * @param sample the sample (row) index, counted over the whole run, not the batch
   * @param stream the stream number (e.g. 0 for the initial noise, k + 1 for solver step k)
   * @param component the index of the value within the sample, 0 … perSample − 1
   * @return a N(0, 1) draw, a pure function of the four integers
   */
  public static double gaussian(long seed, long sample, long stream, long component) {
    long k = key(seed, sample, stream);
    long a = mix(k + 2 * component * 0x9e3779b97f4a7c15L);
    long b = mix(a ^ 0x632be59bd9b4e019L);
    return Math.sqrt(-2.0 * Math.log(uniform(a))) * Math.cos(2.0 * Math.PI * uniform(b));
  }

  /**
   * One uniform value in (0, 1) for (seed, sample, stream, component).
   *
   * @param seed the run's seed
   * @param sample the sample (row) index, counted over the whole run, not the batch
   * @param stream the stream number
   * @param component the index of the value within the sample
   * @return a uniform draw in (0, 1), a pure function of the four integers
   */
  public static double uniform(long seed, long sample, long stream, long component) {
    long k = key(seed, sample, stream);
    return uniform(mix(k + (2 * component + 1) * 0x9e3779b97f4a7c15L ^ 0x5851f42d4c957f2dL));
  }

  /**
   * Row-major noise for samples [firstSample, firstSample + rows), {@code perSample} values each.
   *
   * @param seed the run's seed
   * @param firstSample the index of the first row's sample
   * @param rows the number of samples (rows), &gt;= 0
   * @param perSample the number of values per sample (components 0 … perSample − 1)
   * @param stream the stream number
   * @return {@code rows * perSample} N(0, 1) draws, row i being sample firstSample + i
   */
  public static double[] gaussian(long seed, long firstSample, int rows, int perSample, long stream) {
    double[] out = new double[rows * perSample];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < perSample; j++) {
        out[i * perSample + j] = gaussian(seed, firstSample + i, stream, j);
      }
    }
    return out;
  }
}
