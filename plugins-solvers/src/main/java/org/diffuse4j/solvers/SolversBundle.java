package org.diffuse4j.solvers;

import static org.diffuse4j.api.plugin.Kind.SOLVER;

import java.util.List;
import org.diffuse4j.api.plugin.NoOptions;
import org.diffuse4j.api.plugin.Option;
import org.diffuse4j.api.plugin.PluginBundle;
import org.diffuse4j.api.plugin.PluginInfo;
import org.diffuse4j.api.plugin.PluginProvider;

/** Runge–Kutta ODE solvers and stochastic (SDE, ancestral, churn, predictor–corrector) samplers. */
public final class SolversBundle implements PluginBundle {

  /** Options of {@code euler-ancestral}. */
  public record EulerAncestralOptions(
      @Option(doc = "ancestral noise fraction: 0 = DDIM (deterministic), 1 = DDPM variance", def = "1", min = 0) double eta,
      @Option(doc = "noise inflation factor", def = "1", min = 0) double s_noise) {}

  /** Options of {@code edm-stochastic} (defaults: EDM's ImageNet-64 settings, Karras et al. 2022 Table 5). */
  public record EdmOptions(
      @Option(doc = "total churn S_churn (γ = min(S_churn/steps, √2−1)); 0 = deterministic Heun", def = "40", min = 0) double s_churn,
      @Option(doc = "lowest noise level σ/α that is churned", def = "0.05", min = 0) double s_tmin,
      @Option(doc = "highest noise level σ/α that is churned", def = "50", min = 0) double s_tmax,
      @Option(doc = "noise inflation S_noise", def = "1.003", min = 0) double s_noise) {}

  /** Options of {@code heunpp2} (ComfyUI's sample_heunpp2 defaults: no churn). */
  public record HeunPlusPlus2Options(
      @Option(doc = "total churn S_churn (γ = min(S_churn/steps, √2−1)); 0 = deterministic", def = "0", min = 0) double s_churn,
      @Option(doc = "lowest noise level σ/α that is churned", def = "0", min = 0) double s_tmin,
      @Option(doc = "highest noise level σ/α that is churned", def = "Infinity", min = 0) double s_tmax,
      @Option(doc = "noise inflation S_noise", def = "1", min = 0) double s_noise) {}

  /** Options of {@code pc}. */
  public record PcOptions(
      @Option(doc = "signal-to-noise ratio r of the Langevin corrector: ε = 2(r‖z‖/‖s‖)²", def = "0.16", min = 1e-6) double snr,
      @Option(doc = "Langevin corrector steps after each predictor step", def = "1", min = 0, max = 100) int corrector_steps) {}

  /** Options of {@code rk45}. */
  public record Rk45Options(
      @Option(doc = "relative tolerance of the local error", def = "1e-5", min = 1e-14, max = 1) double rtol,
      @Option(doc = "absolute tolerance of the local error", def = "1e-5", min = 1e-14, max = 1) double atol,
      @Option(doc = "trial steps allowed per grid interval", def = "1000", min = 1) int max_trials) {}

  private static PluginProvider<NoOptions> rk(ButcherTableau tab, String description, String reference) {
    return PluginProvider.of(new PluginInfo(SOLVER, tab.name(), description, reference),
        NoOptions.class, o -> new RungeKutta(tab));
  }

  @Override
  public List<PluginProvider<?>> providers() {
    return List.of(
        rk(ButcherTableau.EULER, "Euler on the probability-flow ODE: x += (t[k+1] − t[k])·v (order 1, 1 call)",
            "Song et al. 2021 eq. 13; seed 003 §4.2"),
        rk(ButcherTableau.MIDPOINT, "explicit midpoint Runge–Kutta on the PF-ODE (order 2, 2 calls)",
            "Hairer, Nørsett & Wanner, Solving ODEs I, §II.1"),
        rk(ButcherTableau.HEUN, "Heun / explicit trapezoid on the PF-ODE, Euler on a last step to σ = 0 (order 2, 2 calls)",
            "Karras et al. 2022 (EDM), Algorithm 1"),
        rk(ButcherTableau.RALSTON, "Ralston's 2-stage Runge–Kutta on the PF-ODE (order 2, 2 calls)",
            "Ralston 1962"),
        rk(ButcherTableau.RK3, "Kutta's third-order Runge–Kutta on the PF-ODE (order 3, 3 calls)",
            "Kutta 1901"),
        rk(ButcherTableau.RK4, "classical Runge–Kutta on the PF-ODE (order 4, 4 calls)",
            "Kutta 1901; seed 003 §4.2"),
        rk(ButcherTableau.DOPRI5, "Dormand–Prince 5th-order solution at fixed steps (order 5, 6 calls)",
            "Dormand & Prince 1980"),
        PluginProvider.of(new PluginInfo(SOLVER, "rk45",
                "adaptive Dormand–Prince 5(4) sub-steps between grid points (eager backend only; order 5)",
                "Dormand & Prince 1980; Hairer, Nørsett & Wanner §II.4"),
            Rk45Options.class, o -> new AdaptiveRungeKutta(ButcherTableau.DOPRI5, o.rtol(), o.atol(), o.max_trials())),
        PluginProvider.of(new PluginInfo(SOLVER, "euler-maruyama",
                "Euler–Maruyama on the reverse SDE dx = [f x − g² s]dt + g dW̄ (weak order 1, 1 call)",
                "Anderson 1982; Song et al. 2021 eq. 6"),
            NoOptions.class, o -> new EulerMaruyama()),
        PluginProvider.of(new PluginInfo(SOLVER, "ddpm",
                "DDPM ancestral sampling from the posterior q(x_s | x_t, x̂0) (weak order 1, 1 call)",
                "Ho et al. 2020 eq. 6–7; Kingma et al. 2021 eq. 33"),
            NoOptions.class, o -> new AncestralDdpm()),
        PluginProvider.of(new PluginInfo(SOLVER, "euler-ancestral",
                "Euler step to σ_down plus σ_up fresh noise in the σ/α chart (weak order 1, 1 call)",
                "k-diffusion sample_euler_ancestral; Karras et al. 2022"),
            EulerAncestralOptions.class, o -> new EulerAncestral(o.eta(), o.s_noise())),
        PluginProvider.of(new PluginInfo(SOLVER, "dpm-2",
                "DPM-Solver-2 in the σ/α chart, midpoint geometric in σ/α (order 2, 2 calls)",
                "Lu et al. 2022 (DPM-Solver-2); Karras et al. 2022 §3; k-diffusion sample_dpm_2"),
            NoOptions.class, o -> new Dpm2(0, 1)),
        PluginProvider.of(new PluginInfo(SOLVER, "dpm-2-ancestral",
                "DPM-Solver-2 step to σ_down plus σ_up fresh noise (weak order 1, 2 calls)",
                "k-diffusion sample_dpm_2_ancestral; Karras et al. 2022"),
            EulerAncestralOptions.class, o -> new Dpm2(o.eta(), o.s_noise())),
        PluginProvider.of(new PluginInfo(SOLVER, "heunpp2",
                "Heun++ 2: Euler in σ/α plus two look-ahead slopes at the next grid points, weights σ̂/(3σ̂₀) (order 1, 3 calls);"
                + " optional EDM churn",
                "ComfyUI sample_heunpp2 (sd-webui-samplers-scheduler); Karras et al. 2022 §3 for the σ/α chart"),
            HeunPlusPlus2Options.class, o -> new HeunPlusPlus2(o.s_churn(), o.s_tmin(), o.s_tmax(), o.s_noise())),
        PluginProvider.of(new PluginInfo(SOLVER, "edm-stochastic",
                "EDM churn (raise noise by γ) then a Heun step (weak order 1, 2 calls)",
                "Karras et al. 2022 (EDM), Algorithm 2"),
            EdmOptions.class, o -> new EdmStochastic(o.s_churn(), o.s_tmin(), o.s_tmax(), o.s_noise())),
        PluginProvider.of(new PluginInfo(SOLVER, "pc",
                "predictor–corrector: Euler–Maruyama predictor + Langevin corrector (weak order 1, 1 + n calls)",
                "Song et al. 2021, Algorithms 2–3"),
            PcOptions.class, o -> new PredictorCorrector(o.snr(), o.corrector_steps())));
  }
}
