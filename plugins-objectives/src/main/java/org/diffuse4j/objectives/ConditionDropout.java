package org.diffuse4j.objectives;

import org.diffuse4j.api.Condition;
import org.diffuse4j.api.NoiseSource;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Condition dropout for classifier-free guidance training: each example's label is replaced by the
 * null label with probability p_uncond (Ho &amp; Salimans 2022). The subset is counter-based: example
 * i is dropped when z_i &lt; Φ⁻¹(p_uncond), z = the batch noise source's stream {@link #STREAM}, so
 * the choice depends only on (seed, sample index) like every other random draw.
 */
public record ConditionDropout(double pUncond, double nullLabel) {

  /** Noise stream used to pick the dropped examples. */
  public static final long STREAM = 0x0D50_0001L;

  /** No dropout. */
  public static final ConditionDropout NONE = new ConditionDropout(0, -1);

  public ConditionDropout {
    if (!(pUncond >= 0 && pUncond <= 1)) {
      throw new IllegalArgumentException("p_uncond must be in [0, 1], got " + pUncond);
    }
  }

  /** The condition with a random subset of labels replaced by the null label. */
  public Condition apply(Condition c, NoiseSource noise) {
    if (pUncond == 0 || c == null || !c.isConditional()) {
      return c;
    }
    Tensor labels = c.labels();
    Tensor z = noise.gaussian(STREAM, labels);
    Tensor nul = labels.zerosLike().plus(nullLabel);
    return new Condition(z.minus(NormalQuantile.of(pUncond)).wherePositive(labels, nul), c.scale());
  }
}
