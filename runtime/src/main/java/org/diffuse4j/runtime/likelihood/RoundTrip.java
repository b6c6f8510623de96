package org.diffuse4j.runtime.likelihood;

/**
 * The outcome of encoding x0 → x_T and decoding back: the latents and the reconstruction error.
 *
 * @param latents x_T, row-major n × dim
 * @param reconstructed the decoded x0, row-major n × dim
 * @param maxError max over all values of |x0 − decode(encode(x0))|
 * @param rmsError root mean square of the same differences
 * @param nfe network evaluations per sample, each direction
 */
public record RoundTrip(double[] latents, double[] reconstructed, double maxError, double rmsError, int nfe) {

  /** The error figures of {@code back} against {@code x}. */
  public static RoundTrip of(double[] x, double[] latents, double[] back, int nfe) {
    double max = 0;
    double ss = 0;
    for (int i = 0; i < x.length; i++) {
      double d = Math.abs(x[i] - back[i]);
      max = Math.max(max, d);
      ss += d * d;
    }
    return new RoundTrip(latents, back, max, Math.sqrt(ss / Math.max(1, x.length)), nfe);
  }
}
