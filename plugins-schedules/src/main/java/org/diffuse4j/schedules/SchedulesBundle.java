package org.diffuse4j.schedules;

import static org.diffuse4j.api.plugin.Kind.GRID;
import static org.diffuse4j.api.plugin.Kind.PARAMETERISATION;
import static org.diffuse4j.api.plugin.Kind.SCHEDULE;

import java.util.List;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.NoOptions;
import org.diffuse4j.api.plugin.Option;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.PluginBundle;
import org.diffuse4j.api.plugin.PluginInfo;
import org.diffuse4j.api.plugin.PluginProvider;
import org.diffuse4j.schedules.DiscreteGrid.Spacing;
import org.diffuse4j.schedules.DiscreteSchedule.BetaKind;

/** Schedules, time grids and parameterisations shipped with Diffuse4J (table: docs/schedules.md). */
public final class SchedulesBundle implements PluginBundle {

  private static OptionException bad(String message) {
    return new OptionException(message);
  }

  // ---------------------------------------------------------------- schedule options

  /** Options of {@code vp} and {@code sub-vp}. */
  public record VpOptions(
      @Option(doc = "β at t = 0", def = "0.1", min = 1e-6) double beta_min,
      @Option(doc = "β at t = 1 (> beta_min)", def = "20", min = 1e-6) double beta_max) {
    public VpOptions {
      if (!(beta_max > beta_min)) {
        throw bad("beta_max (" + beta_max + ") must be greater than beta_min (" + beta_min + ")");
      }
    }
  }

  /** Options of {@code vp-cosine}. */
  public record CosineOptions(
      @Option(doc = "offset s in θ(t) = (t + s)/(1 + s)·π/2", def = "0.008", min = 1e-9, max = 1) double offset,
      @Option(doc = "Nichol & Dhariwal's clip of each discrete β_k", def = "0.999", min = 1e-9, max = 0.999999) double max_beta,
      @Option(doc = "the number N of discrete steps the clip refers to: rate β(t) <= −N ln(1 − max_beta)", def = "1000", min = 1) int reference_steps) {}

  /** Options of {@code ve}. */
  public record VeOptions(
      @Option(doc = "σ at t = 0", def = "0.01", min = 1e-12) double sigma_min,
      @Option(doc = "σ at t = 1 (> sigma_min)", def = "50", min = 1e-12) double sigma_max) {
    public VeOptions {
      if (!(sigma_max > sigma_min)) {
        throw bad("sigma_max (" + sigma_max + ") must be greater than sigma_min (" + sigma_min + ")");
      }
    }
  }

  /** Options of {@code edm}. */
  public record EdmOptions(
      @Option(doc = "smallest σ, reached at t_min = (σ_min/σ_max)^{1/ρ}", def = "0.002", min = 1e-12) double sigma_min,
      @Option(doc = "σ at t = 1 (> sigma_min)", def = "80", min = 1e-12) double sigma_max,
      @Option(doc = "ρ of σ(t) = σ_max·t^ρ; must be > 0", def = "7") double rho) {
    public EdmOptions {
      if (!(sigma_max > sigma_min)) {
        throw bad("sigma_max (" + sigma_max + ") must be greater than sigma_min (" + sigma_min + ")");
      }
      if (!(rho > 0)) {
        throw bad("rho must be > 0, got " + rho);
      }
    }
  }

  /** Options of {@code trigflow}. */
  public record TrigFlowOptions(
      @Option(doc = "data standard deviation σ_d; σ(t) = σ_d sin(πt/2)", def = "0.5", min = 1e-9) double sigma_data) {}

  /** Options of {@code discrete}. */
  public record DiscreteOptions(
      @Option(doc = "how β_1..β_N are made: linear, scaled-linear, squaredcos-cap-v2", def = "linear") BetaKind beta_schedule,
      @Option(doc = "number N of table entries", def = "1000", min = 1, max = 1e7) int train_steps,
      @Option(doc = "first β; -1 = the kind's default (linear 1e-4, scaled-linear 0.00085)", def = "-1", min = -1, max = 1) double beta_start,
      @Option(doc = "last β; -1 = the kind's default (linear 0.02, scaled-linear 0.012)", def = "-1", min = -1, max = 1) double beta_end,
      @Option(doc = "rescale √ᾱ so that ᾱ_N = 0, zero terminal SNR (Lin et al. 2024)", def = "false") boolean rescale_zero_snr) {
    public DiscreteOptions {
      double start = startBeta(beta_schedule, beta_start);
      double end = endBeta(beta_schedule, beta_end);
      if (beta_schedule != BetaKind.SQUAREDCOS_CAP_V2 && !(start > 0 && end < 1 && end > start)) {
        throw bad("beta_start and beta_end must satisfy 0 < beta_start < beta_end < 1, got " + start + ", " + end);
      }
    }

    private static double startBeta(BetaKind kind, double given) {
      return given >= 0 ? given : kind == BetaKind.SCALED_LINEAR ? 0.00085 : 1e-4;
    }

    private static double endBeta(BetaKind kind, double given) {
      return given >= 0 ? given : kind == BetaKind.SCALED_LINEAR ? 0.012 : 0.02;
    }

    double startBeta() {
      return startBeta(beta_schedule, beta_start);
    }

    double endBeta() {
      return endBeta(beta_schedule, beta_end);
    }
  }

  /** Options of {@code shifted}. */
  public record ShiftedOptions(
      @Option(doc = "the schedule to shift: a name or a map with name and options", def = "rectified-flow") Object base,
      @Option(doc = "shift s in t ↦ s·t/(1 + (s − 1)t); 3 for SD3, > 1 favours noise", def = "3", min = 1e-6) double shift) {}

  // ---------------------------------------------------------------- grid options

  /** Options of {@code uniform}, {@code log-snr}, {@code exponential} and {@code quadratic}. */
  public record GridOptions(
      @Option(doc = T_MAX, def = "-1", min = -1, max = 1) double t_max,
      @Option(doc = T_MIN, def = "-1", min = -1, max = 1) double t_min,
      @Option(doc = SIGMA_MAX, def = "-1", min = -1) double sigma_max,
      @Option(doc = SIGMA_MIN, def = "-1", min = -1) double sigma_min,
      @Option(doc = TO_ZERO, def = "false") boolean to_zero) {
    public GridOptions {
      checked(() -> new GridBounds(t_max, t_min, sigma_max, sigma_min, to_zero));
    }

    GridBounds bounds() {
      return new GridBounds(t_max, t_min, sigma_max, sigma_min, to_zero);
    }
  }

  /** Options of {@code karras}. */
  public record KarrasOptions(
      @Option(doc = T_MAX, def = "-1", min = -1, max = 1) double t_max,
      @Option(doc = T_MIN, def = "-1", min = -1, max = 1) double t_min,
      @Option(doc = SIGMA_MAX, def = "-1", min = -1) double sigma_max,
      @Option(doc = SIGMA_MIN, def = "-1", min = -1) double sigma_min,
      @Option(doc = TO_ZERO, def = "false") boolean to_zero,
      @Option(doc = "ρ, must be > 0 (7 in EDM)", def = "7") double rho) {
    public KarrasOptions {
      checked(() -> new KarrasGrid(new GridBounds(t_max, t_min, sigma_max, sigma_min, to_zero), rho));
    }
  }

  /** Options of {@code explicit}. */
  public record ExplicitOptions(
      @Option(doc = "descending times (steps + 1 values, or steps with to_zero)", def = "[]", min = 0, max = 1) double[] times,
      @Option(doc = "descending σ/α values, converted through the schedule's inverse", def = "[]", min = 0) double[] sigmas,
      @Option(doc = "append a final point at exactly t = 0", def = "false") boolean to_zero) {
    public ExplicitOptions {
      checked(() -> new ExplicitGrid(times, sigmas, to_zero));
    }
  }

  /** Options of {@code normal}, {@code sgm-uniform}, {@code simple} and {@code ddim-uniform}. */
  public record TimestepGridOptions(
      @Option(doc = TRAIN_STEPS, def = "0", min = 0) int train_steps) {}

  /** Options of {@code beta}. */
  public record BetaGridOptions(
      @Option(doc = TRAIN_STEPS, def = "0", min = 0) int train_steps,
      @Option(doc = "a of the Beta(a, b) quantiles", def = "0.6", min = 1e-6) double alpha,
      @Option(doc = "b of the Beta(a, b) quantiles", def = "0.6", min = 1e-6) double beta) {}

  /** Options of {@code ays}. */
  public record AysOptions(
      @Option(doc = "which published table: sd1, sdxl, svd", def = "sdxl") SigmaLevelsGrid.Ays model) {}

  /** Options of {@code linear-quadratic}. */
  public record LinearQuadraticOptions(
      @Option(doc = T_MAX, def = "-1", min = -1, max = 1) double t_max,
      @Option(doc = "noise fraction θ reached by the linear part", def = "0.025", min = 1e-9, max = 0.999999) double threshold_noise,
      @Option(doc = "steps in the linear part; 0 = steps/2", def = "0", min = 0) int linear_steps) {}

  /** Options of {@code discrete-trailing} and {@code discrete-linspace}. */
  public record DiscreteGridOptions(
      @Option(doc = TRAIN_STEPS, def = "0", min = 0) int train_steps) {}

  /** Options of {@code discrete-leading}. */
  public record LeadingOptions(
      @Option(doc = TRAIN_STEPS, def = "0", min = 0) int train_steps,
      @Option(doc = "added to every timestep (Stable Diffusion uses 1)", def = "0", min = 0) int steps_offset) {}

  private static final String T_MAX = "first (largest) time; -1 = the schedule's t_max (or from sigma_max)";
  private static final String T_MIN = "last time before the optional final 0; -1 = the schedule's t_min (or from sigma_min)";
  private static final String SIGMA_MAX = "first σ/α instead of t_max (converted through the schedule's inverse); -1 = not given";
  private static final String SIGMA_MIN = "last σ/α instead of t_min; -1 = not given";
  private static final String TO_ZERO = "end with a final denoising step to exactly t = 0";
  private static final String TRAIN_STEPS = "training steps N; 0 = the discrete schedule's N (1000 for continuous schedules)";

  /** Runs a domain constructor, turning its IllegalArgumentException into an OptionException. */
  private static <T> T checked(java.util.function.Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new OptionException(e.getMessage());
    }
  }

  // ---------------------------------------------------------------- parameterisation options

  /** Options of the {@code edm} parameterisation. */
  public record EdmPreconditioningOptions(
      @Option(doc = "data standard deviation σ_data", def = "0.5", min = 1e-9) double sigma_data) {}

  // ---------------------------------------------------------------- providers

  private static PluginInfo info(Kind kind, String name, String description, String reference) {
    return new PluginInfo(kind, name, description, reference);
  }

  @Override
  public List<PluginProvider<?>> providers() {
    return List.of(
        // schedules
        PluginProvider.of(
            info(SCHEDULE, "vp", "variance preserving, linear β(t); α = exp(−½∫β), σ = √(1 − α²)",
                "Song et al. 2021, Score-based generative modeling through SDEs"),
            VpOptions.class, o -> new VariancePreserving(o.beta_min(), o.beta_max())),
        PluginProvider.of(
            info(SCHEDULE, "vp-cosine", "continuous cosine ᾱ(t) = cos²((t+s)/(1+s)·π/2)/cos²(s/(1+s)·π/2), β clipped",
                "Nichol & Dhariwal 2021, Improved DDPM, eq. 17"),
            CosineOptions.class, o -> checked(() -> new VpCosine(o.offset(), o.max_beta(), o.reference_steps()))),
        PluginProvider.of(
            info(SCHEDULE, "sub-vp", "sub-VP: α = exp(−½∫β), σ = 1 − α²",
                "Song et al. 2021, Score-based generative modeling through SDEs, eq. 29"),
            VpOptions.class, o -> new SubVariancePreserving(o.beta_min(), o.beta_max())),
        PluginProvider.of(
            info(SCHEDULE, "ve", "variance exploding: α = 1, σ = σ_min(σ_max/σ_min)^t",
                "Song & Ermon 2019; Song et al. 2021"),
            VeOptions.class, o -> new VarianceExploding(o.sigma_min(), o.sigma_max())),
        PluginProvider.of(
            info(SCHEDULE, "edm", "α = 1, σ = σ_max·t^ρ on [t_min, 1] with σ(t_min) = σ_min: uniform t gives EDM's levels",
                "Karras et al. 2022, Elucidating the design space, eq. 5"),
            EdmOptions.class, o -> new EdmSchedule(o.sigma_min(), o.sigma_max(), o.rho())),
        PluginProvider.of(
            info(SCHEDULE, "rectified-flow", "linear path α = 1 − t, σ = t",
                "Liu et al. 2022, Flow straight and fast; Lipman et al. 2023"),
            NoOptions.class, o -> new RectifiedFlow()),
        PluginProvider.of(
            info(SCHEDULE, "trig", "α = cos(πt/2), σ = sin(πt/2)", "seed 003 §1.2; Nichol & Dhariwal 2021"),
            NoOptions.class, o -> new TrigFlow(1.0)),
        PluginProvider.of(
            info(SCHEDULE, "trigflow", "TrigFlow: α = cos(πt/2), σ = σ_data·sin(πt/2)",
                "Lu & Song 2024, Simplifying, stabilizing and scaling continuous-time consistency models"),
            TrigFlowOptions.class, o -> new TrigFlow(o.sigma_data())),
        PluginProvider.of(
            info(SCHEDULE, "discrete", "DDPM ᾱ table (α = √ᾱ at t = k/N), log ᾱ interpolated",
                "Ho et al. 2020; Lin et al. 2024 (zero terminal SNR)"),
            DiscreteOptions.class,
            o -> DiscreteSchedule.of(o.beta_schedule(), o.train_steps(), o.startBeta(), o.endBeta(),
                o.rescale_zero_snr())),
        PluginProvider.of(
            info(SCHEDULE, "shifted", "any schedule read at u = s·t/(1 + (s − 1)t)",
                "Esser et al. 2024, Scaling rectified flow transformers (SD3), eq. 23"),
            ShiftedOptions.class,
            (o, c) -> new Shifted(c.<Schedule>create(SCHEDULE, o.base(), "base"), o.shift())),
        // grids
        PluginProvider.of(
            info(GRID, "uniform", "times uniform in t from t_max to t_min", "Ho et al. 2020; Song et al. 2021"),
            GridOptions.class, o -> new UniformGrid(o.bounds())),
        PluginProvider.of(
            info(GRID, "log-snr", "uniform in log-SNR λ = log(α/σ)", "Lu et al. 2022, DPM-Solver"),
            GridOptions.class, o -> new LogSnrGrid(o.bounds())),
        PluginProvider.of(
            info(GRID, "exponential", "log-uniform in σ/α (the same points as log-snr)",
                "Crowson, k-diffusion get_sigmas_exponential; Lu et al. 2022"),
            GridOptions.class, o -> new LogSnrGrid(o.bounds())),
        PluginProvider.of(
            info(GRID, "quadratic", "uniform in √t, denser near the data", "Song et al. 2021, DDIM; Lu et al. 2022"),
            GridOptions.class, o -> new QuadraticGrid(o.bounds())),
        PluginProvider.of(
            info(GRID, "karras", "σ/α = (σ_max^{1/ρ} + u(σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ, ρ = 7",
                "Karras et al. 2022, Elucidating the design space, eq. 5"),
            KarrasOptions.class,
            o -> new KarrasGrid(new GridBounds(o.t_max(), o.t_min(), o.sigma_max(), o.sigma_min(), o.to_zero()), o.rho())),
        PluginProvider.of(
            info(GRID, "explicit", "a given list of t values, or of σ/α values", "user-supplied; σ converted by λ⁻¹(−log σ)"),
            ExplicitOptions.class, o -> new ExplicitGrid(o.times(), o.sigmas(), o.to_zero())),
        PluginProvider.of(
            info(GRID, "discrete-leading", "diffusers 'leading' timesteps j·⌊N/n⌋ + offset, then t = 0",
                "Song et al. 2021, DDIM; Lin et al. 2024"),
            LeadingOptions.class, o -> new DiscreteGrid(Spacing.LEADING, o.train_steps(), o.steps_offset())),
        PluginProvider.of(
            info(GRID, "discrete-trailing", "diffusers 'trailing' timesteps round(N − jN/n) − 1, then t = 0",
                "Lin et al. 2024, Common diffusion noise schedules and sample steps are flawed"),
            DiscreteGridOptions.class, o -> new DiscreteGrid(Spacing.TRAILING, o.train_steps(), 0)),
        PluginProvider.of(
            info(GRID, "discrete-linspace", "diffusers 'linspace' timesteps round(linspace(0, N−1, n)), then t = 0",
                "Lin et al. 2024; diffusers DDIMScheduler"),
            DiscreteGridOptions.class, o -> new DiscreteGrid(Spacing.LINSPACE, o.train_steps(), 0)),
        PluginProvider.of(
            info(GRID, "normal", "ComfyUI 'normal': n training timesteps uniform from N−1 to 0, then t = 0",
                "ComfyUI normal_scheduler; = uniform with to_zero on the timestep axis"),
            TimestepGridOptions.class, o -> new TimestepGrid(TimestepGrid.Kind.NORMAL, o.train_steps(), 1, 1)),
        PluginProvider.of(
            info(GRID, "sgm-uniform", "ComfyUI 'sgm_uniform': linspace(N−1, 0, n+1) without its last point, then t = 0",
                "ComfyUI normal_scheduler(sgm=True); Song et al. 2021 (SGM)"),
            TimestepGridOptions.class, o -> new TimestepGrid(TimestepGrid.Kind.SGM_UNIFORM, o.train_steps(), 1, 1)),
        PluginProvider.of(
            info(GRID, "simple", "ComfyUI 'simple': every (N/n)-th training timestep from the top, then t = 0",
                "ComfyUI simple_scheduler"),
            TimestepGridOptions.class, o -> new TimestepGrid(TimestepGrid.Kind.SIMPLE, o.train_steps(), 1, 1)),
        PluginProvider.of(
            info(GRID, "ddim-uniform", "ComfyUI 'ddim_uniform': timesteps 1, 1+s, 1+2s, ... (s = N div n), then t = 0",
                "Song, Meng & Ermon 2021, DDIM; ComfyUI ddim_scheduler"),
            TimestepGridOptions.class, o -> new TimestepGrid(TimestepGrid.Kind.DDIM_UNIFORM, o.train_steps(), 1, 1)),
        PluginProvider.of(
            info(GRID, "beta", "timesteps at Beta(0.6, 0.6) quantiles (dense at both ends), then t = 0",
                "Lee et al. 2024, arXiv:2407.12173; ComfyUI beta_scheduler"),
            BetaGridOptions.class, o -> checked(() -> new TimestepGrid(TimestepGrid.Kind.BETA, o.train_steps(), o.alpha(), o.beta()))),
        PluginProvider.of(
            info(GRID, "kl-optimal", "σ/α uniform in arctan from sigma_max to sigma_min, then t = 0 with to_zero",
                "Sabour, Fidler & Kreis 2024, Align your steps; A1111 PR 15608"),
            GridOptions.class, o -> new SigmaLevelsGrid(SigmaLevelsGrid.Kind.KL_OPTIMAL, o.bounds(), null)),
        PluginProvider.of(
            info(GRID, "ays", "Align-Your-Steps σ tables (SD1, SDXL, SVD), log-linear to any step count, then t = 0",
                "Sabour, Fidler & Kreis 2024, Align your steps (NVIDIA)"),
            AysOptions.class, o -> new SigmaLevelsGrid(SigmaLevelsGrid.Kind.AYS, GridBounds.DEFAULT, o.model())),
        PluginProvider.of(
            info(GRID, "linear-quadratic", "Mochi: linear in t to threshold_noise for steps/2 steps, then quadratic, then t = 0",
                "Genmo 2024, Mochi 1; ComfyUI linear_quadratic"),
            LinearQuadraticOptions.class, o -> checked(() -> new LinearQuadraticGrid(o.t_max(), o.threshold_noise(), o.linear_steps()))),
        // parameterisations
        PluginProvider.of(
            info(PARAMETERISATION, "eps", "network predicts the noise ε", "Ho et al. 2020, DDPM"),
            NoOptions.class, o -> new EpsParameterisation()),
        PluginProvider.of(
            info(PARAMETERISATION, "x0", "network predicts the clean sample x0", "Ramesh et al. 2022; seed 003 eq. 9"),
            NoOptions.class, o -> new X0Parameterisation()),
        PluginProvider.of(
            info(PARAMETERISATION, "score", "network predicts the score ∇ log q_t = −ε/σ",
                "Song & Ermon 2019; seed 003 eq. 4, 9"),
            NoOptions.class, o -> new ScoreParameterisation()),
        PluginProvider.of(
            info(PARAMETERISATION, "velocity", "network predicts dx/dt = α̇ x0 + σ̇ ε (flow matching)",
                "Lipman et al. 2023; seed 003 eq. 9"),
            NoOptions.class, o -> new VelocityParameterisation()),
        PluginProvider.of(
            info(PARAMETERISATION, "v", "v-prediction v = α ε − σ x0", "Salimans & Ho 2022, Progressive distillation"),
            NoOptions.class, o -> new VParameterisation()),
        PluginProvider.of(
            info(PARAMETERISATION, "edm", "EDM preconditioning c_skip, c_out, c_in, c_noise in σ/α",
                "Karras et al. 2022, Elucidating the design space, Table 1"),
            EdmPreconditioningOptions.class, o -> new EdmParameterisation(o.sigma_data())),
        PluginProvider.of(
            info(PARAMETERISATION, "trigflow", "TrigFlow/sCM: x̂0 = cos τ·x_τ − σ_d sin τ·F(x_τ/σ_d, τ), tan τ = (σ/α)/σ_d",
                "Lu & Song 2024, Simplifying, stabilizing and scaling continuous-time consistency models, eq. 5–6"),
            EdmPreconditioningOptions.class, o -> new TrigFlowParameterisation(o.sigma_data())));
  }
}
