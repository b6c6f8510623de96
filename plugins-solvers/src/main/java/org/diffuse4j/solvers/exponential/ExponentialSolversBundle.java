package org.diffuse4j.solvers.exponential;

import static org.diffuse4j.api.plugin.Kind.SOLVER;

import java.util.List;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.plugin.NoOptions;
import org.diffuse4j.api.plugin.Option;
import org.diffuse4j.api.plugin.PluginBundle;
import org.diffuse4j.api.plugin.PluginInfo;
import org.diffuse4j.api.plugin.PluginProvider;

/** Exponential integrators (DDIM, DPM-Solver, DPM-Solver++, UniPC, DEIS) and the PNDM/LMS multistep family. */
public final class ExponentialSolversBundle implements PluginBundle {

  /** Options of {@code ddim}. */
  public record DdimOptions(
      @Option(doc = "stochasticity: 0 = deterministic DDIM, 1 = ancestral (DDPM posterior)", def = "0", min = 0, max = 1)
          double eta) {}

  /** What a DPM-Solver's polynomial approximates: ε̂ (DPM-Solver) or x̂0 (DPM-Solver++). */
  public enum Target {
    NOISE,
    DATA
  }

  /** The form of DPM-Solver's high-order terms (the reference code's {@code solver_type}; diffusers: midpoint, heun). */
  public enum DpmSolverType {
    DPMSOLVER,
    TAYLOR
  }

  /** Whose coefficients a multistep method uses: the project's, or a reference code's, to reproduce its numbers. */
  public enum Compat {
    DIFFUSE4J,
    DPM_SOLVER,
    K_DIFFUSION
  }

  /** {@code budget} of {@code dpm-solver}: one update per grid step, DPM-Solver-fast's split, or groups of exactly {@code order} steps. */
  public enum Budget {
    FALSE,
    TRUE,
    FIXED
  }

  /** {@code lower_order_final} of {@code unipc}: the project's rule (N &lt; 10), never, or UniPC's (every N). */
  public enum UniPcLowerOrderFinal {
    TRUE,
    FALSE,
    ALWAYS
  }

  static final String SOLVER_TYPE = "form of the second- and third-order terms: dpmsolver (DPM-Solver's, diffusers' midpoint)"
      + " or taylor (diffusers' heun)";

  /** Options of {@code dpm-solver}. */
  public record DpmSolverOptions(
      @Option(doc = "solver order (1 = DDIM)", def = "3", min = 1, max = 3) int order,
      @Option(doc = "noise: DPM-Solver (ε̂); data: DPM-Solver++ (x̂0)", def = "noise") Target prediction,
      @Option(doc = SOLVER_TYPE, def = "dpmsolver") DpmSolverType solver_type,
      @Option(doc = "first intermediate point in λ, fraction of the step (0 = 1/2 at order 2, 1/3 at order 3)",
          def = "0", min = 0, max = 1) double r1,
      @Option(doc = "second intermediate point at order 3 (0 = 2/3)", def = "0", min = 0, max = 1) double r2,
      @Option(doc = "the grid's steps are the model-call budget, stages on the grid's points: true = split into orders"
          + " [3,...,3,2,1] as the official DPM-Solver-fast (method='singlestep'); fixed = groups of exactly `order` steps"
          + " (method='singlestep_fixed')", def = "false") Budget budget) {}

  /** The one-line doc of every {@code lower_order_final} option. */
  static final String LOF = "lower the order on the final steps of a short run: step k of N uses order <= N - k"
      + " when N < 10 (DPM-Solver's rule)";

  /** Options of {@code dpm-solver-multistep}. */
  public record MultistepOptions(
      @Option(doc = "order of the Lagrange extrapolation in λ", def = "2", min = 1, max = 3) int order,
      @Option(doc = LOF, def = "true") boolean lower_order_final,
      @Option(doc = SOLVER_TYPE + " of the second-order steps", def = "taylor") DpmSolverType solver_type,
      @Option(doc = "diffuse4j: exact third-order weights; dpm-solver: the official halved third-order term", def = "diffuse4j")
          Compat compat) {}

  /** Options of {@code dpmpp-3m}. */
  public record ThreeMOptions(
      @Option(doc = LOF, def = "true") boolean lower_order_final,
      @Option(doc = "diffuse4j: order 3, quadratic in t on unequal λ steps; dpm-solver / k-diffusion: their 3M in λ"
          + " (halved quadratic term, order 2)", def = "diffuse4j") Compat compat,
      @Option(doc = SOLVER_TYPE + " of the second-order step under compat: dpm-solver (k-diffusion's is taylor)",
          def = "dpmsolver") DpmSolverType solver_type) {}

  /** Options of {@code res-multistep} and the PNDM family. */
  public record LowerOrderFinalOptions(@Option(doc = LOF, def = "true") boolean lower_order_final) {}

  /** Options of {@code dpmpp-2m}. */
  public record TwoMOptions(
      @Option(doc = LOF, def = "true") boolean lower_order_final,
      @Option(doc = "second-order coefficient: dpmsolver (the paper's φ₁-only 1 + 1/2r, −1/2r; diffusers' midpoint,"
          + " k-diffusion's sample_dpmpp_2m) or taylor (the exact integral of the linear interpolant; diffusers' heun,"
          + " = res-multistep)", def = "dpmsolver") DpmSolverType solver_type) {}

  /** Options of {@code dpmpp-3m-sde} and {@code dpmpp-2s-ancestral}. */
  public record EtaNoiseOptions(
      @Option(doc = "noise scale: 0 = deterministic, 1 = reverse SDE", def = "1", min = 0, max = 1) double eta,
      @Option(doc = "noise inflation", def = "1", min = 0) double s_noise) {}

  /** The second-order coefficient of {@code dpmpp-2m-sde}. */
  public enum SolverType {
    MIDPOINT,
    HEUN
  }

  /** Options of {@code dpmpp-2m-sde}. */
  public record TwoMSdeOptions(
      @Option(doc = "noise scale: 0 = deterministic, 1 = reverse SDE", def = "1", min = 0, max = 1) double eta,
      @Option(doc = LOF, def = "true") boolean lower_order_final,
      @Option(doc = "second-order coefficient: midpoint (gain/2r) or heun ((1 − gain/ĥ)/r), as k-diffusion", def = "midpoint")
          SolverType solver_type) {}

  /** Options of the stochastic DPM-Solver++ variants. */
  public record SdeOptions(
      @Option(doc = "noise scale: 0 = deterministic, 1 = reverse SDE", def = "1", min = 0, max = 1) double eta) {}

  /** Options of {@code unipc}. */
  public record UniPcOptions(
      @Option(doc = "predictor order", def = "2", min = 1, max = 3) int order,
      @Option(doc = "B(h): bh1 = h, bh2 = e^h − 1; vary-coeff: the reference code's Taylor-coefficient variant", def = "bh2")
          UniPc.Variant variant,
      @Option(doc = "apply the UniC corrector (no extra evaluation)", def = "true") boolean corrector,
      @Option(doc = "true: " + LOF + ", and from N = 10 on order <= 2 on a step 1.4x longer in λ than the one before,"
          + " 1 on a step 2x longer; always: N - k at every N (UniPC's rule, caps the order at 2); false: never",
          def = "true") UniPcLowerOrderFinal lower_order_final,
      @Option(doc = "data: x̂0 (UniPC's default); noise: ε̂", def = "data") Target prediction,
      @Option(doc = "the reference's denoise_to_zero: on a grid ending at σ = 0, the steps before the last are UniPC's run"
          + " (no corrector into the last positive time, lower_order_final counting those steps) and the last step is"
          + " x̂0 there (1 call)", def = "false") boolean denoise_to_zero) {}

  /** Options of {@code deis}. */
  public record DeisOptions(
      @Option(doc = "order of the polynomial in ρ = σ/α", def = "3", min = 1, max = 3) int order,
      @Option(doc = LOF, def = "true") boolean lower_order_final) {}

  /** Options of {@code lms}. */
  public record LmsOptions(
      @Option(doc = "number of past ε̂ in the linear multistep in σ/α", def = "4", min = 1, max = 4) int order,
      @Option(doc = LOF, def = "true") boolean lower_order_final) {}

  /** Options of {@code er-sde} (ComfyUI's sample_er_sde defaults). */
  public record ErSdeOptions(
      @Option(doc = "noise inflation (1 = the SDE; below 1 the drift keeps the SDE's form, biased)", def = "1", min = 0) double s_noise,
      @Option(doc = "highest stage: 1 = first-order, 2 and 3 add the divided differences of x̂0 in σ/α", def = "3", min = 1, max = 3)
          int max_stage,
      @Option(doc = "noise scaler Φ(ρ) of the paper: ode = ρ, sde = ρ², sde-1 = ρ(e^{−1/ρ} + 10), sde-2 = ρ^1.5,"
          + " sde-3 = ρ^2.5, sde-4 = ρ^0.9·log10(1 + 100ρ^1.5), sde-5 = ρ(e^{ρ^0.3} + 10) (ComfyUI's)", def = "sde-5")
          ErSde.NoiseScaler noise_scaler) {}

  /** Options of {@code sa-solver} (ComfyUI's sample_sa_solver defaults). */
  public record SaSolverOptions(
      @Option(doc = "predictor order (past outputs in the stochastic Adams predictor)", def = "3", min = 1, max = 4) int predictor_order,
      @Option(doc = "corrector order (0 = no corrector)", def = "4", min = 0, max = 4) int corrector_order,
      @Option(doc = "stochasticity τ inside [tau_t_min, tau_t_max] (0 = the probability-flow ODE)", def = "1", min = 0) double tau,
      @Option(doc = "lower end, in t, of the interval where τ > 0 (ComfyUI: σ at 80% of the way)", def = "0.2", min = 0, max = 1)
          double tau_t_min,
      @Option(doc = "upper end, in t, of the interval where τ > 0 (ComfyUI: σ at 20% of the way)", def = "0.8", min = 0, max = 1)
          double tau_t_max,
      @Option(doc = "noise inflation", def = "1", min = 0) double s_noise,
      @Option(doc = "PECE: evaluate the corrected point again (2 calls per step; ComfyUI's sa_solver_pece)", def = "false")
          boolean use_pece,
      @Option(doc = "the paper's simple coefficients (App. D) where predictor or corrector uses two outputs", def = "false")
          boolean simple_order_2) {}

  /** Options of {@code dpm-adaptive} (k-diffusion's dpm_solver_adaptive defaults, its I-controller). */
  public record DpmAdaptiveOptions(
      @Option(doc = "2 = DPM-Solver-12, 3 = DPM-Solver-23 (calls per trial)", def = "3", min = 2, max = 3) int order,
      @Option(doc = "relative tolerance of the local error estimate", def = "0.05", min = 1e-12) double rtol,
      @Option(doc = "absolute tolerance of the local error estimate", def = "0.0078", min = 1e-12) double atol,
      @Option(doc = "first trial step in λ = log(α/σ)", def = "0.05", min = 1e-6) double h_init,
      @Option(doc = "trials per grid interval, all built into the graph (calls per interval: (max_trials + 1)·order)",
          def = "16", min = 1, max = 1000) int max_trials,
      @Option(doc = "PID controller: proportional coefficient (k-diffusion's pcoeff)", def = "0") double pcoeff,
      @Option(doc = "PID controller: integral coefficient (icoeff; 1 with p = d = 0 is the I-controller)", def = "1") double icoeff,
      @Option(doc = "PID controller: derivative coefficient (dcoeff)", def = "0") double dcoeff,
      @Option(doc = "smallest step factor that accepts a trial (k-diffusion's accept_safety)", def = "0.81", min = 1e-6)
          double accept_safety) {}

  private static LowerOrderFinal lof(boolean on) {
    return LowerOrderFinal.of(on);
  }

  private static DpmSolver.Grouping grouping(Budget budget) {
    return switch (budget) {
      case FALSE -> DpmSolver.Grouping.PER_STEP;
      case TRUE -> DpmSolver.Grouping.SPLIT;
      case FIXED -> DpmSolver.Grouping.FIXED;
    };
  }

  private static LowerOrderFinal uniPcLof(UniPcLowerOrderFinal rule) {
    return switch (rule) {
      case TRUE -> LowerOrderFinal.BELOW_10;
      case FALSE -> LowerOrderFinal.OFF;
      case ALWAYS -> LowerOrderFinal.ALWAYS;
    };
  }

  /** {@code dpm-solver-multistep}: the exact Lagrange weights unless a reference form is asked for. */
  private static Solver multistep(MultistepOptions o) {
    if (o.compat() == Compat.K_DIFFUSION) {
      throw new IllegalArgumentException("dpm-solver-multistep: compat k-diffusion does not exist (k-diffusion has no"
          + " noise-prediction multistep DPM-Solver); use compat: dpm-solver or diffuse4j");
    }
    boolean taylor = o.solver_type() == DpmSolverType.TAYLOR;
    if (taylor && o.compat() == Compat.DIFFUSE4J) {
      return new ExponentialAdams("dpm-solver-multistep", o.order(), false, lof(o.lower_order_final()), false);
    }
    return new DividedDifferenceMultistep("dpm-solver-multistep", o.order(), false, taylor,
        o.compat() == Compat.DPM_SOLVER, lof(o.lower_order_final()));
  }

  private static PluginInfo info(String name, String description, String paper) {
    return new PluginInfo(SOLVER, name, description, paper);
  }

  @Override
  public List<PluginProvider<?>> providers() {
    String dpm = "Lu et al. 2022, DPM-Solver (NeurIPS)";
    String dpmpp = "Lu et al. 2022, DPM-Solver++: fast solver for guided sampling";
    return List.of(
        PluginProvider.of(info("ddim", "DDIM; eta=0 is the first-order exponential integrator, eta=1 ancestral",
                "Song, Meng & Ermon 2021, eq. 12"),
            DdimOptions.class, o -> new Ddim(o.eta())),
        PluginProvider.of(info("dpm-solver", "singlestep DPM-Solver-1/2/3 (noise prediction) or DPM-Solver++(1/2/3S) (data);"
                + " budget: DPM-Solver-fast's order split or fixed groups of `order` steps", dpm + ", Alg. 1-2; " + dpmpp + ", Alg. 1"),
            DpmSolverOptions.class, o -> new DpmSolver(o.order(), o.prediction() == Target.DATA,
                o.solver_type() == DpmSolverType.TAYLOR, o.r1(), o.r2(), grouping(o.budget()))),
        PluginProvider.of(info("dpm-solver-multistep", "multistep DPM-Solver, noise prediction, exact Lagrange weights in λ",
                dpmpp + ", §4"),
            MultistepOptions.class, ExponentialSolversBundle::multistep),
        PluginProvider.of(info("dpmpp-2s", "DPM-Solver++(2S), data prediction, 2 evaluations per step", dpmpp + ", Alg. 1"),
            NoOptions.class, o -> new DpmppTwoS()),
        PluginProvider.of(info("dpmpp-2m", "DPM-Solver++(2M), data prediction, multistep", dpmpp + ", Alg. 2"),
            TwoMOptions.class, o -> new DpmppTwoM(0, lof(o.lower_order_final()), o.solver_type() == DpmSolverType.TAYLOR)),
        PluginProvider.of(info("dpmpp-3m", "DPM-Solver++(3M), data prediction, quadratic in λ", dpmpp + ", App."),
            ThreeMOptions.class, o -> o.compat() == Compat.DIFFUSE4J
                ? new ExponentialAdams("dpmpp-3m", 3, true, lof(o.lower_order_final()), true)
                : new DividedDifferenceMultistep("dpmpp-3m", 3, true,
                    o.compat() == Compat.K_DIFFUSION || o.solver_type() == DpmSolverType.TAYLOR, true, lof(o.lower_order_final()))),
        PluginProvider.of(info("res-multistep", "RES 2nd-order multistep: data prediction, linear in λ integrated exactly (φ₁, φ₂)",
                "Zhang, Tao & Chen 2023, Improved order analysis of exponential integrators (RES); ComfyUI res_multistep"),
            LowerOrderFinalOptions.class, o -> new ExponentialAdams("res-multistep", 2, true, lof(o.lower_order_final()), false)),
        PluginProvider.of(info("dpmpp-sde", "stochastic DPM-Solver++ (r=1/2, ancestral noise), 2 evaluations per step",
                dpmpp + "; k-diffusion sample_dpmpp_sde"),
            SdeOptions.class, o -> new DpmppSde(o.eta())),
        PluginProvider.of(info("dpmpp-2s-ancestral", "DPM-Solver++(2S) to σ_down plus σ_up fresh noise (k-diffusion), 2 evaluations per step",
                dpmpp + ", Alg. 1; k-diffusion sample_dpmpp_2s_ancestral"),
            EtaNoiseOptions.class, o -> new DpmppTwoS(o.eta(), o.s_noise())),
        PluginProvider.of(info("dpmpp-3m-sde", "SDE-DPM-Solver++(3M) as k-diffusion writes it; eta 0 = the reference 3M (order 2)",
                dpmpp + ", App.; k-diffusion sample_dpmpp_3m_sde"),
            EtaNoiseOptions.class, o -> new DpmppThreeMSde(o.eta(), o.s_noise())),
        PluginProvider.of(info("dpmpp-2m-sde", "SDE-DPM-Solver++(2M), midpoint form", dpmpp + ", SDE variant"),
            TwoMSdeOptions.class, o -> new DpmppTwoM(o.eta(), lof(o.lower_order_final()), o.solver_type() == SolverType.HEUN)),
        PluginProvider.of(info("dpm-adaptive", "DPM-Solver-23 (12) with adaptive steps in λ per row, unrolled in the graph"
                + " (order 3 (2); (max_trials + 1)·order calls per grid interval; PID step control)",
                dpm + ", §4.2 and Alg. 4; k-diffusion DPMSolver.dpm_solver_adaptive"),
            DpmAdaptiveOptions.class, o -> new DpmAdaptive(o.order(), o.rtol(), o.atol(), o.h_init(), o.max_trials(),
                o.pcoeff(), o.icoeff(), o.dcoeff(), o.accept_safety())),
        PluginProvider.of(info("er-sde", "ER-SDE-Solver-3, VP data prediction on σ/α, noise scaler Φ (default ρ(e^{ρ^0.3} + 10)) (weak order 1, 1 call)",
                "Cui et al. 2023, Elucidating the solution space of extended reverse-time SDEs, Alg. 1-3; ComfyUI sample_er_sde"),
            ErSdeOptions.class, o -> new ErSde(o.s_noise(), o.max_stage(), o.noise_scaler())),
        PluginProvider.of(info("sa-solver", "SA-Solver: stochastic Adams predictor (order p) + corrector (c), τ(t) noise"
                + " (weak order 1; with tau 0 order min(p + 1, c); 1 call)",
                "Xue et al. 2023, SA-Solver (NeurIPS), eq. 15 and 18; ComfyUI sample_sa_solver"),
            SaSolverOptions.class, o -> new SaSolver(o.predictor_order(), o.corrector_order(), o.tau(), o.tau_t_min(), o.tau_t_max(),
                o.s_noise(), o.use_pece(), o.simple_order_2())),
        PluginProvider.of(info("unipc", "UniPC predictor-corrector, data or noise prediction, B(h) = bh1 | bh2 | vary-coeff",
                "Zhao et al. 2023, UniPC (NeurIPS), Alg. 2-3"),
            UniPcOptions.class, o -> new UniPc(o.order(), o.variant(), o.corrector(), uniPcLof(o.lower_order_final()),
                o.prediction() == Target.DATA, o.denoise_to_zero())),
        PluginProvider.of(info("deis", "ρAB-DEIS: Adams-Bashforth in ρ = σ/α on ε̂", "Zhang & Chen 2023, DEIS (ICLR), §4"),
            DeisOptions.class, o -> new RhoAdams("deis", o.order(), lof(o.lower_order_final()))),
        PluginProvider.of(info("lms", "linear multistep in σ/α (k-diffusion sample_lms)", "Karras et al. 2022 / k-diffusion"),
            LmsOptions.class, o -> new RhoAdams("lms", o.order(), lof(o.lower_order_final()))),
        PluginProvider.of(info("pndm", "F-PNDM: 3 pseudo-Runge-Kutta steps, then pseudo linear multistep",
                "Liu et al. 2022, PNDM (ICLR), eq. 9-13"),
            LowerOrderFinalOptions.class, o -> new Pndm(Pndm.Warmup.RUNGE_KUTTA, lof(o.lower_order_final()))),
        PluginProvider.of(info("plms", "S-PNDM / LDM PLMS: improved-Euler first step, then pseudo linear multistep",
                "Liu et al. 2022, PNDM (ICLR)"),
            LowerOrderFinalOptions.class, o -> new Pndm(Pndm.Warmup.IMPROVED_EULER, lof(o.lower_order_final()))),
        PluginProvider.of(info("ipndm", "iPNDM: lower-order Adams-Bashforth warm-up, 1 evaluation per step",
                "Zhang & Chen 2023, DEIS (ICLR), App."),
            LowerOrderFinalOptions.class, o -> new Pndm(Pndm.Warmup.ADAMS, lof(o.lower_order_final()))));
  }
}
