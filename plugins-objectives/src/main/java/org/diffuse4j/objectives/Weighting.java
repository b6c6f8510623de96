package org.diffuse4j.objectives;

import org.diffuse4j.api.Schedule;

/**
 * A loss weighting w(t), written as the weight on the ε-space error ‖ε̂ − ε‖² (the convention of
 * Kingma &amp; Gao 2023, in which every weighting below is a function of λ). {@link RegressionObjective}
 * converts it to the parameterisation's target space, so a weighting means the same objective for
 * every parameterisation. {@link Uniform} is the exception: weight 1 in the target's own space
 * (plain L_simple for ε, plain CFM for velocity).
 */
public interface Weighting {

  /** The weight at time t. */
  double weight(Schedule schedule, double t);

  /** Whether {@link #weight} is on the ε-space error (true) or on the target space as is (false). */
  default boolean onEps() {
    return true;
  }

  /** Weight 1 on the parameterisation's own target: L_simple (Ho et al. 2020), CFM (Lipman et al. 2023). */
  record Uniform() implements Weighting {
    @Override
    public double weight(Schedule schedule, double t) {
      return 1.0;
    }

    @Override
    public boolean onEps() {
      return false;
    }
  }

  /**
   * SNR weighting: weight SNR = α²/σ² on the x0-loss ‖x̂0 − x0‖², which is weight 1 on the ε-loss:
   * L_simple in any parameterisation, the γ → ∞ limit of min-SNR (Hang et al. 2023, Table 1).
   */
  record Snr() implements Weighting {
    @Override
    public double weight(Schedule schedule, double t) {
      return 1.0;
    }
  }

  /**
   * Min-SNR-γ: x0-loss weight min(SNR, γ), i.e. w = min(SNR, γ)/SNR on ε (Hang et al. 2023; for v
   * it gives their min(SNR, γ)/(SNR + 1)).
   */
  record MinSnr(double gamma) implements Weighting {
    @Override
    public double weight(Schedule schedule, double t) {
      double snr = Math.exp(2 * schedule.lambda(t));
      return Math.min(snr, gamma) / snr;
    }
  }

  /**
   * EDM: λ(σ̃) = (σ̃² + σ_d²)/(σ̃ σ_d)² on ‖D − x0‖² with σ̃ = σ/α, i.e. w = (σ̃² + σ_d²)/σ_d² on ε
   * (Karras et al. 2022, eq. 8 and Table 1).
   */
  record Edm(double sigmaData) implements Weighting {
    @Override
    public double weight(Schedule schedule, double t) {
      double s = Math.exp(-schedule.lambda(t));
      return (s * s + sigmaData * sigmaData) / (sigmaData * sigmaData);
    }
  }

  /**
   * Likelihood weighting λ(t) = g²(t) on the score loss, i.e. w = g²/σ² on ε; the DSM loss is then
   * a bound on the negative log-likelihood (Song et al. 2021, Maximum likelihood training).
   */
  record Likelihood() implements Weighting {
    @Override
    public double weight(Schedule schedule, double t) {
      double s = schedule.sigma(t);
      return schedule.g2(t) / (s * s);
    }
  }

  /**
   * The discrete DDPM ELBO weights: the KL between Gaussian posteriors at levels s = t − 1/N and t
   * is ½(SNR(s) − SNR(t))‖x0 − x̂0‖² = ½(SNR(s)/SNR(t) − 1)‖ε − ε̂‖²; summing N levels gives
   * w = (N/2)(SNR(s)/SNR(t) − 1) (Ho et al. 2020, eq. 5; Kingma et al. 2021, eq. 13). s is
   * clamped at the schedule's t_min, so the first level (DDPM's decoder term) has weight 0 when
   * t_1 ≤ t_min.
   */
  record Elbo(int steps) implements Weighting {
    public Elbo {
      if (steps < 1) {
        throw new IllegalArgumentException("elbo weighting needs steps >= 1, got " + steps);
      }
    }

    @Override
    public double weight(Schedule schedule, double t) {
      double s = Math.max(t - 1.0 / steps, schedule.tMin());
      if (s >= t) {
        return 0.0;
      }
      return 0.5 * steps * Math.expm1(2 * (schedule.lambda(s) - schedule.lambda(t)));
    }
  }
}
