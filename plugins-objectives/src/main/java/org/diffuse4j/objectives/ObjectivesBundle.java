package org.diffuse4j.objectives;

import static org.diffuse4j.api.plugin.Kind.OBJECTIVE;

import java.util.List;
import org.diffuse4j.api.Coupling;
import org.diffuse4j.api.plugin.Option;
import org.diffuse4j.api.plugin.PluginBundle;
import org.diffuse4j.api.plugin.PluginInfo;
import org.diffuse4j.api.plugin.PluginProvider;

/** Training objectives shipped with Diffuse4J (docs/objectives.md). */
public final class ObjectivesBundle implements PluginBundle {

  /** Options of {@code denoising}. */
  public record DenoisingOptions(
      @Option(doc = "time density: uniform, logit-normal, log-normal, mode, discrete (name or map)", def = "uniform") Object time,
      @Option(doc = "weighting: uniform, snr, min-snr, edm, likelihood, elbo (name or map)", def = "uniform") Object weighting,
      @Option(doc = "probability of replacing the label by the null label (CFG training)", def = "0", min = 0, max = 1) double p_uncond,
      @Option(doc = "label id the network reads as the null label", def = "-1") double null_label) {}

  /** Options of {@code consistency-training}. */
  public record ConsistencyTrainingOptions(
      @Option(doc = "smallest level r_min of σ/α", def = "0.002", min = 1e-9) double sigma_min,
      @Option(doc = "largest level r_max of σ/α (within the schedule's range)", def = "80", min = 1e-9) double sigma_max,
      @Option(doc = "ρ of the Karras levels", def = "7", min = 1e-9) double rho,
      @Option(doc = "mean of ln(σ/α) of the level density", def = "-1.1") double p_mean,
      @Option(doc = "standard deviation of ln(σ/α) of the level density", def = "2", min = 1e-9) double p_std,
      @Option(doc = "levels − 1 at the start of the curriculum", def = "10", min = 1) int s0,
      @Option(doc = "levels − 1 at the end of the curriculum", def = "1280", min = 1) int s1,
      @Option(doc = "K of the curriculum: set it to training.steps", def = "10000", min = 1) int total_steps) {}

  /** Options of {@code consistency-distillation}. */
  public record ConsistencyDistillationOptions(
      @Option(doc = "number N of Karras levels of σ/α (the teacher steps from r_{n+1} to r_n)", def = "18", min = 2) int levels,
      @Option(doc = "smallest level r_1 of σ/α", def = "0.002", min = 1e-9) double sigma_min,
      @Option(doc = "largest level r_N of σ/α (within the schedules' range)", def = "80", min = 1e-9) double sigma_max,
      @Option(doc = "ρ of the Karras levels", def = "7", min = 1e-9) double rho,
      @Option(doc = "distance d: l2 (squared) or pseudo-huber", def = "pseudo-huber") ConsistencyDistillation.Distance distance,
      @Option(doc = "c of the pseudo-Huber distance (-1 = 0.00054·√dim)", def = "-1") double huber_c,
      @Option(doc = "decay μ of the target θ⁻: -1 = the run's EMA (training.ema, also used for sampling); in [0, 1) its own "
          + "average θ⁻ ← μθ⁻ + (1 − μ)θ (0: θ⁻ = θ, gradients stopped)", def = "-1", max = 0.999999) double target_ema) {}

  /** Options of {@code meanflow} (defaults: Geng et al. 2025, Table 1). */
  public record MeanFlowOptions(
      @Option(doc = "fraction of examples with end t < start s (the rest are flow matching, t = s)", def = "0.25", min = 0, max = 1) double ratio,
      @Option(doc = "mean of the logit-normal time density", def = "-0.4") double p_mean,
      @Option(doc = "standard deviation of the logit-normal time density", def = "1", min = 1e-9) double p_std,
      @Option(doc = "exponent p of the adaptive weight 1/(d + c)^p (0: squared error)", def = "1", min = 0) double weight_p,
      @Option(doc = "offset c of the adaptive weight", def = "0.001", min = 1e-12) double weight_c) {}

  /** Options of {@code ctm} (levels as consistency distillation's; Kim et al. 2024 use N = 18 on CIFAR-10). */
  public record CtmOptions(
      @Option(doc = "number N of Karras levels of σ/α (s, u, t are levels; the teacher steps between adjacent ones)", def = "18", min = 2) int levels,
      @Option(doc = "smallest level of σ/α", def = "0.002", min = 1e-9) double sigma_min,
      @Option(doc = "largest level of σ/α (within the schedules' range)", def = "80", min = 1e-9) double sigma_max,
      @Option(doc = "ρ of the Karras levels", def = "7", min = 1e-9) double rho,
      @Option(doc = "weight λ_DSM of the denoising term ‖x̂0_θ(x_s, s) − x0‖² (0: none)", def = "1", min = 0) double lambda_dsm,
      @Option(doc = "distance d in data space: l2 (squared) or pseudo-huber", def = "pseudo-huber") ConsistencyDistillation.Distance distance,
      @Option(doc = "c of the pseudo-Huber distance (-1 = 0.00054·√dim)", def = "-1") double huber_c,
      @Option(doc = "decay μ of the target θ⁻: -1 = the run's EMA (training.ema, also used for sampling); in [0, 1) its own "
          + "average θ⁻ ← μθ⁻ + (1 − μ)θ (0: θ⁻ = θ, gradients stopped)", def = "-1", max = 0.999999) double target_ema) {}

  /** Options of {@code progressive-distillation}. */
  public record ProgressiveDistillationOptions(
      @Option(doc = "N, the student's DDIM steps (the teacher takes 2N on the same grid)", def = "8", min = 1) int student_steps,
      @Option(doc = "first time of the uniform grid (-1 = the schedule's tMax); sample with the same grid", def = "-1") double t_max,
      @Option(doc = "last time of the uniform grid (-1 = the schedule's tMin, 0 = data as the paper)", def = "-1") double t_min,
      @Option(doc = "loss weight: truncated-snr (max(SNR, 1)), snr+1 or none", def = "truncated-snr") String weight,
      @Option(doc = "start the student at the teacher's weights (same network and parameterisation)", def = "true") boolean init,
      @Option(doc = "smallest guidance scale w drawn when w_max >= 0 (Meng et al. 2023 stage two)", def = "1", min = 0) double w_min,
      @Option(doc = "largest guidance scale w drawn; -1 = none, else student and w-reading teacher both read each example's w",
          def = "-1") double w_max) {}

  /** Options of {@code guidance-distillation} (w in cfg's convention: Meng et al.'s w' ∈ [0, 4] is [1, 5]). */
  public record GuidanceDistillationOptions(
      @Option(doc = "smallest guidance scale w drawn (cfg's convention: 1 = conditional model)", def = "1", min = 0) double w_min,
      @Option(doc = "largest guidance scale w drawn", def = "5", min = 0) double w_max,
      @Option(doc = "loss weight: truncated-snr (max(SNR, 1)), snr+1 or none", def = "truncated-snr") String weight,
      @Option(doc = "start at the teacher run's weights (matched by name; the weights reading w start at zero, so the "
          + "student starts as the conditional teacher)", def = "false") boolean init) {}

  /** Options of {@code ect}. */
  public record EctOptions(
      @Option(doc = "smallest level r_min of σ/α (the boundary)", def = "0.002", min = 1e-9) double sigma_min,
      @Option(doc = "largest level of σ/α", def = "80", min = 1e-9) double sigma_max,
      @Option(doc = "mean of ln(σ/α)", def = "-1.1") double p_mean,
      @Option(doc = "standard deviation of ln(σ/α)", def = "2", min = 1e-9) double p_std,
      @Option(doc = "Δr shrinks by q every stage", def = "2", min = 1.000001) double q,
      @Option(doc = "k of n(r) = 1 + k·sigmoid(−b r)", def = "8", min = 0) double k,
      @Option(doc = "b of n(r) = 1 + k·sigmoid(−b r)", def = "1") double b,
      @Option(doc = "optimiser steps per stage d", def = "1000", min = 1) int stage_steps) {}

  /** Options of {@code perflow}. */
  public record PerFlowOptions(
      @Option(doc = "number K of time windows (sample with K Euler steps on grid uniform)", def = "4", min = 1) int windows,
      @Option(doc = "teacher solver steps per window (uniform in the teacher's t)", def = "8", min = 1) int teacher_steps,
      @Option(doc = "start from the teacher run's weights (same network and parameterisation), as the paper", def = "true") boolean init,
      @Option(doc = "move each window's start up by this fraction of a window (0 = the paper), so the velocity's jump is off the sampled edges", def = "0", min = 0, max = 0.99) double edge_shift) {}

  /** Options of {@code sct}. */
  public record SctOptions(
      @Option(doc = "σ_d of TrigFlow, tan τ = (σ/α)/σ_d (match the trigflow parameterisation's)", def = "0.5", min = 1e-9) double sigma_data,
      @Option(doc = "mean of ln(σ_d tan τ) = ln(σ/α)", def = "-1.0") double p_mean,
      @Option(doc = "standard deviation of ln(σ_d tan τ)", def = "1.4", min = 1e-9) double p_std,
      @Option(doc = "c of the tangent normalisation g/(‖g‖ + c)", def = "0.1", min = 1e-12) double c,
      @Option(doc = "H of the tangent warm-up r = min(1, step/H); 0: r = 1", def = "10000", min = 0) int warmup_steps,
      @Option(doc = "weight the loss by a learned w_φ(t): e^{w}·loss − w (the paper's eq. 9)", def = "false") boolean adaptive_weight) {}

  /** Options of {@code scd}. */
  public record ScdOptions(
      @Option(doc = "σ_d of TrigFlow, tan τ = (σ/α)/σ_d (match the trigflow parameterisation's)", def = "0.5", min = 1e-9) double sigma_data,
      @Option(doc = "mean of ln(σ_d tan τ) = ln(σ/α)", def = "-1.0") double p_mean,
      @Option(doc = "standard deviation of ln(σ_d tan τ)", def = "1.4", min = 1e-9) double p_std,
      @Option(doc = "c of the tangent normalisation g/(‖g‖ + c)", def = "0.1", min = 1e-12) double c,
      @Option(doc = "H of the tangent warm-up r = min(1, step/H); 0: r = 1", def = "10000", min = 0) int warmup_steps,
      @Option(doc = "K: times are the K quantiles (k + ½)/K of ln(σ/α), one teacher time per level; 0: continuous times, "
          + "the teacher at each example's own", def = "32", min = 0) int levels,
      @Option(doc = "weight the loss by a learned w_φ(t): e^{w}·loss − w (the paper's eq. 9)", def = "false") boolean adaptive_weight) {}

  /** Options of {@code ddpm-elbo}. */
  public record ElboOptions(
      @Option(doc = "number of discrete levels N (t = k/N)", def = "1000", min = 1) int steps,
      @Option(doc = "probability of replacing the label by the null label (CFG training)", def = "0", min = 0, max = 1) double p_uncond,
      @Option(doc = "label id the network reads as the null label", def = "-1") double null_label) {}

  /** Options of {@code flow-matching} and {@code reflow}. */
  public record FlowMatchingOptions(
      @Option(doc = "σ_min: data-end smoothing, x_t = α x0 + (σ + σ_min α) ε", def = "0", min = 0, max = 0.999) double sigma_min,
      @Option(doc = "time density (name or map)", def = "uniform") Object time,
      @Option(doc = "probability of replacing the label by the null label (CFG training)", def = "0", min = 0, max = 1) double p_uncond,
      @Option(doc = "label id the network reads as the null label", def = "-1") double null_label) {}

  /** How a minibatch OT coupling is solved. */
  public enum OtMethod { EXACT, SINKHORN }

  /** How an entropic plan becomes a pairing. */
  public enum Pairing { SAMPLE, ARGMAX }

  /** Options of {@code ot-flow-matching}. */
  public record OtFlowMatchingOptions(
      @Option(doc = "σ_min: data-end smoothing, x_t = α x0 + (σ + σ_min α) ε", def = "0", min = 0, max = 0.999) double sigma_min,
      @Option(doc = "time density (name or map)", def = "uniform") Object time,
      @Option(doc = "exact (Hungarian assignment) or sinkhorn (entropic plan)", def = "exact") OtMethod method,
      @Option(doc = "sinkhorn: entropic regularisation ε, relative to the mean cost when normalise_cost", def = "0.05", min = 1e-6) double reg,
      @Option(doc = "sinkhorn: divide the cost by its mean so reg is scale-free", def = "true") boolean normalise_cost,
      @Option(doc = "sinkhorn: maximum iterations (stops earlier once the marginals are met)", def = "1000", min = 1) int iterations,
      @Option(doc = "sinkhorn: sample each row's partner from the plan, or take the argmax", def = "sample") Pairing pairing,
      @Option(doc = "sinkhorn: seed of the plan sampling", def = "0") long seed,
      @Option(doc = "probability of replacing the label by the null label (CFG training)", def = "0", min = 0, max = 1) double p_uncond,
      @Option(doc = "label id the network reads as the null label", def = "-1") double null_label) {}

  /** Options of {@code sb-flow-matching}. */
  public record SbFlowMatchingOptions(
      @Option(doc = "bridge noise σ: x_t = (1 − t) x0 + t ε + σ√(t(1 − t)) z; the plan uses reg = 2σ²", def = "1", min = 1e-6) double sigma,
      @Option(doc = "time density (name or map)", def = "uniform") Object time,
      @Option(doc = "sinkhorn (entropic plan, reg = 2σ², unnormalised cost) or exact", def = "sinkhorn") OtMethod method,
      @Option(doc = "sinkhorn: maximum iterations (stops earlier once the marginals are met)", def = "1000", min = 1) int iterations,
      @Option(doc = "sinkhorn: seed of the plan sampling", def = "0") long seed,
      @Option(doc = "probability of replacing the label by the null label (CFG training)", def = "0", min = 0, max = 1) double p_uncond,
      @Option(doc = "label id the network reads as the null label", def = "-1") double null_label) {}

  /** Options of {@code stochastic-interpolant}. */
  public record InterpolantOptions(
      @Option(doc = "constant smoothing noise σ added to x_t (TorchCFM's sigma)", def = "0", min = 0) double sigma,
      @Option(doc = "time density (name or map)", def = "uniform") Object time,
      @Option(doc = "probability of replacing the label by the null label (CFG training)", def = "0", min = 0, max = 1) double p_uncond,
      @Option(doc = "label id the network reads as the null label", def = "-1") double null_label) {}

  /** Options of {@code noisy-classifier}. */
  public record ClassifierOptions(
      @Option(doc = "time density (name or map)", def = "uniform") Object time) {}

  @Override
  public List<PluginProvider<?>> providers() {
    return List.of(
        PluginProvider.of(
            new PluginInfo(OBJECTIVE, "denoising",
                "λ(t)‖f(x_t, t) − target‖², x_t = α x0 + σ ε, on the parameterisation's target (ε-MSE for eps)",
                "Ho et al. 2020 (L_simple); Kingma & Gao 2023 (weightings); Karras et al. 2022; Hang et al. 2023"),
            DenoisingOptions.class,
            (o, c) -> new Denoising(Specs.time(o.time(), c), Specs.weighting(o.weighting(), c),
                new ConditionDropout(o.p_uncond(), o.null_label()))),
        PluginProvider.of(
            new PluginInfo(OBJECTIVE, "consistency-training",
                "improved consistency training: adjacent Karras levels, pseudo-Huber, log-normal levels, curriculum",
                "Song & Dhariwal 2023, Improved techniques for training consistency models, §3–4"),
            ConsistencyTrainingOptions.class,
            o -> new ConsistencyTraining(o.sigma_min(), o.sigma_max(), o.rho(), o.p_mean(), o.p_std(), o.s0(), o.s1(),
                o.total_steps())),
        PluginProvider.of(
            new PluginInfo(OBJECTIVE, "ect",
                "easy consistency tuning: from a trained run's weights, pairs (r, r') with Δr shrinking by q per stage",
                "Geng et al. 2024, Consistency models made easy, §3–4"),
            EctOptions.class,
            o -> new EasyConsistencyTuning(o.sigma_min(), o.sigma_max(), o.p_mean(), o.p_std(), o.q(), o.k(), o.b(),
                o.stage_steps())),
        PluginProvider.of(
            new PluginInfo(OBJECTIVE, "meanflow",
                "MeanFlow: a flow map's average velocity u(x_s, s, t) towards sg(v − (s − t)(∂ₓu·v + ∂ₛu)), one JVP",
                "Geng et al. 2025, Mean Flows for one-step generative modeling, eq. 10–11, Alg. 1"),
            MeanFlowOptions.class,
            o -> new MeanFlow(o.ratio(), o.p_mean(), o.p_std(), o.weight_p(), o.weight_c())),
        PluginProvider.of(
            new PluginInfo(OBJECTIVE, "ctm",
                "CTM: G_θ(x_s, s, t) matches the EMA target's jump from the teacher's ODE solution at u, both mapped to the data, + λ_DSM·DSM",
                "Kim et al. 2024, Consistency trajectory models, eq. 7–9, Alg. 1"),
            CtmOptions.class,
            o -> new ConsistencyTrajectory(o.levels(), o.sigma_min(), o.sigma_max(), o.rho(), o.distance(), o.huber_c(),
                o.lambda_dsm(), o.target_ema())),
        PluginProvider.of(
            new PluginInfo(OBJECTIVE, "consistency-distillation",
                "consistency distillation: the EMA target at the teacher's ODE step matches the student one level up",
                "Song et al. 2023, Consistency models, Alg. 2"),
            ConsistencyDistillationOptions.class,
            o -> new ConsistencyDistillation(o.levels(), o.sigma_min(), o.sigma_max(), o.rho(), o.distance(), o.huber_c(),
                o.target_ema())),
        PluginProvider.of(
            new PluginInfo(OBJECTIVE, "progressive-distillation",
                "progressive distillation: one student DDIM step matches two of the teacher, ω·‖x̃ − x̂0‖²",
                "Salimans & Ho 2022, Progressive distillation for fast sampling of diffusion models, Alg. 2"),
            ProgressiveDistillationOptions.class,
            o -> new ProgressiveDistillation(o.student_steps(), o.t_max(), o.t_min(),
                ProgressiveDistillation.Weight.of(o.weight()), o.init(), o.w_min(), o.w_max())),
        PluginProvider.of(
            new PluginInfo(OBJECTIVE, "guidance-distillation",
                "guidance distillation: a student reading w matches the teacher's CFG x0_u + w (x0_c - x0_u), ω·‖·‖²",
                "Meng et al. 2023, On distillation of guided diffusion models, section 4.1, eq. 6"),
            GuidanceDistillationOptions.class,
            o -> new GuidanceDistillation(o.w_min(), o.w_max(), ProgressiveDistillation.Weight.of(o.weight()), o.init())),
        PluginProvider.of(
            new PluginInfo(OBJECTIVE, "perflow",
                "piecewise rectified flow: in each of K windows the straight segment from the forward marginal to the teacher's ODE end point",
                "Yan et al. 2024, PeRFlow: piecewise rectified flow as universal plug-and-play accelerator"),
            PerFlowOptions.class,
            o -> new PiecewiseRectifiedFlow(o.windows(), o.teacher_steps(), o.init(), o.edge_shift())),
        PluginProvider.of(
            new PluginInfo(OBJECTIVE, "sct",
                "continuous-time consistency training on TrigFlow: ‖F_θ − F_θ⁻ − g‖², g the normalised tangent cos τ·df⁻/dτ by a JVP",
                "Lu & Song 2024, Simplifying, stabilizing and scaling continuous-time consistency models, eq. 8, Alg. 1"),
            SctOptions.class,
            o -> new ContinuousConsistencyTraining(o.sigma_data(), o.p_mean(), o.p_std(), o.c(), o.warmup_steps(),
                o.adaptive_weight())),
        PluginProvider.of(
            new PluginInfo(OBJECTIVE, "scd",
                "continuous-time consistency distillation: sct's loss with the teacher's velocity cos τ·σ_d ε̂ − sin τ·x̂0 as the tangent direction",
                "Lu & Song 2024, Simplifying, stabilizing and scaling continuous-time consistency models, eq. 8, Alg. 1"),
            ScdOptions.class,
            o -> new ContinuousConsistencyDistillation(o.sigma_data(), o.p_mean(), o.p_std(), o.c(), o.warmup_steps(),
                o.levels(), o.adaptive_weight())),
        PluginProvider.of(
            new PluginInfo(OBJECTIVE, "ddpm-elbo",
                "ε-MSE with the discrete ELBO weights (N/2)(SNR(t−1/N)/SNR(t) − 1) at t = k/N",
                "Ho et al. 2020, eq. 5 and 12; Kingma et al. 2021"),
            ElboOptions.class,
            o -> new Denoising(new TimeDensity.Discrete(o.steps()), new Weighting.Elbo(o.steps()),
                new ConditionDropout(o.p_uncond(), o.null_label()))),
        PluginProvider.of(
            new PluginInfo(OBJECTIVE, "flow-matching",
                "CFM, independent coupling: ‖v(x_t, t) − (α̇ x0 + (σ̇ + σ_min α̇) ε)‖², x_t = α x0 + (σ + σ_min α) ε",
                "Lipman et al. 2023, Flow matching for generative modeling; Tong et al. 2023 (I-CFM)"),
            FlowMatchingOptions.class,
            (o, c) -> new FlowMatching(o.sigma_min(), Specs.time(o.time(), c), Coupling.INDEPENDENT,
                new ConditionDropout(o.p_uncond(), o.null_label()))),
        PluginProvider.of(
            new PluginInfo(OBJECTIVE, "ot-flow-matching",
                "CFM on minibatch optimal-transport pairs (exact assignment or Sinkhorn) of data and noise",
                "Tong et al. 2023, Improving and generalizing flow-based generative models with minibatch OT; Pooladian et al. 2023"),
            OtFlowMatchingOptions.class,
            (o, c) -> new FlowMatching(o.sigma_min(), Specs.time(o.time(), c),
                o.method() == OtMethod.EXACT
                    ? new ExactOtCoupling()
                    : new SinkhornCoupling(o.reg(), o.iterations(), o.pairing() == Pairing.SAMPLE, o.normalise_cost(), o.seed()),
                new ConditionDropout(o.p_uncond(), o.null_label()))),
        PluginProvider.of(
            new PluginInfo(OBJECTIVE, "sb-flow-matching",
                "Schrödinger-bridge CFM: x_t = (1−t)x0 + tε + σ√(t(1−t))z on entropic-OT pairs, u = ε − x0 + σ(1−2t)/(2√(t(1−t)))z",
                "Tong et al. 2023, Simulation-free Schrödinger bridges via score and flow matching (SB-CFM)"),
            SbFlowMatchingOptions.class,
            (o, c) -> new SchrodingerBridgeFlowMatching(o.sigma(), Specs.time(o.time(), c),
                o.method() == OtMethod.EXACT
                    ? new ExactOtCoupling()
                    : new SinkhornCoupling(2 * o.sigma() * o.sigma(), o.iterations(), true, false, o.seed()),
                new ConditionDropout(o.p_uncond(), o.null_label()))),
        PluginProvider.of(
            new PluginInfo(OBJECTIVE, "stochastic-interpolant",
                "VP interpolant x_t = cos(πt/2) x0 + sin(πt/2) ε (+ σ z), target (π/2)(cos(πt/2) ε − sin(πt/2) x0)",
                "Albergo & Vanden-Eijnden 2023, Building normalizing flows with stochastic interpolants; Tong et al. 2023 (VP-CFM)"),
            InterpolantOptions.class,
            (o, c) -> new StochasticInterpolant(o.sigma(), Specs.time(o.time(), c), Coupling.INDEPENDENT,
                new ConditionDropout(o.p_uncond(), o.null_label()))),
        PluginProvider.of(
            new PluginInfo(OBJECTIVE, "reflow",
                "flow matching on the data set's (endpoint, noise) pairs from a trained model's ODE (./diffuse4j reflow); row i trains with its own noise row",
                "Liu et al. 2022, Flow straight and fast: rectified flow (reflow)"),
            FlowMatchingOptions.class,
            (o, c) -> FlowMatching.reflow(o.sigma_min(), Specs.time(o.time(), c),
                new ConditionDropout(o.p_uncond(), o.null_label()))),
        PluginProvider.of(
            new PluginInfo(OBJECTIVE, "noisy-classifier",
                "cross-entropy −log softmax(f(x_t, t))_y of a classifier on noisy samples (for classifier guidance)",
                "Dhariwal & Nichol 2021, Diffusion models beat GANs; Song et al. 2021, App. I"),
            ClassifierOptions.class,
            (o, c) -> new NoisyClassifier(Specs.time(o.time(), c))));
  }
}
