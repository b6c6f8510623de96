package org.diffuse4j.solvers.exponential;

import static org.diffuse4j.api.plugin.Kind.SOLVER;

import java.util.List;
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

  /** Options of {@code dpm-solver}. */
  public record DpmSolverOptions(
      @Option(doc = "solver order (1 = DDIM)", def = "3", min = 1, max = 3) int order) {}

  /** Options of {@code dpm-solver-multistep}. */
  public record MultistepOptions(
      @Option(doc = "order of the Lagrange extrapolation in λ", def = "2", min = 1, max = 3) int order) {}

  /** Options of the stochastic DPM-Solver++ variants. */
  public record SdeOptions(
      @Option(doc = "noise scale: 0 = deterministic, 1 = reverse SDE", def = "1", min = 0, max = 1) double eta) {}

  /** B(h) of UniPC. */
  public enum UniPcVariant {
    BH1,
    BH2
  }

  /** Options of {@code unipc}. */
  public record UniPcOptions(
      @Option(doc = "predictor order", def = "2", min = 1, max = 3) int order,
      @Option(doc = "B(h): bh1 = h, bh2 = e^h − 1", def = "bh2") UniPcVariant variant,
      @Option(doc = "apply the UniC corrector (no extra evaluation)", def = "true") boolean corrector) {}

  /** Options of {@code deis}. */
  public record DeisOptions(
      @Option(doc = "order of the polynomial in ρ = σ/α", def = "3", min = 1, max = 3) int order) {}

  /** Options of {@code lms}. */
  public record LmsOptions(
      @Option(doc = "number of past ε̂ in the linear multistep in σ/α", def = "4", min = 1, max = 4) int order) {}

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
        PluginProvider.of(info("dpm-solver", "singlestep DPM-Solver-1/2/3, noise prediction", dpm + ", Alg. 1-2"),
            DpmSolverOptions.class, o -> new DpmSolver(o.order())),
        PluginProvider.of(info("dpm-solver-multistep", "multistep DPM-Solver, noise prediction, exact Lagrange weights in λ",
                dpmpp + ", §4"),
            MultistepOptions.class, o -> new ExponentialAdams("dpm-solver-multistep", o.order(), false)),
        PluginProvider.of(info("dpmpp-2s", "DPM-Solver++(2S), data prediction, 2 evaluations per step", dpmpp + ", Alg. 1"),
            NoOptions.class, o -> new DpmppTwoS()),
        PluginProvider.of(info("dpmpp-2m", "DPM-Solver++(2M), data prediction, multistep", dpmpp + ", Alg. 2"),
            NoOptions.class, o -> new DpmppTwoM(0)),
        PluginProvider.of(info("dpmpp-3m", "DPM-Solver++(3M), data prediction, quadratic in λ", dpmpp + ", App."),
            NoOptions.class, o -> new ExponentialAdams("dpmpp-3m", 3, true)),
        PluginProvider.of(info("dpmpp-sde", "stochastic DPM-Solver++ (r=1/2, ancestral noise), 2 evaluations per step",
                dpmpp + "; k-diffusion sample_dpmpp_sde"),
            SdeOptions.class, o -> new DpmppSde(o.eta())),
        PluginProvider.of(info("dpmpp-2m-sde", "SDE-DPM-Solver++(2M), midpoint form", dpmpp + ", SDE variant"),
            SdeOptions.class, o -> new DpmppTwoM(o.eta())),
        PluginProvider.of(info("unipc", "UniPC predictor-corrector, data prediction, B(h) = bh1 | bh2",
                "Zhao et al. 2023, UniPC (NeurIPS), Alg. 2-3"),
            UniPcOptions.class, o -> new UniPc(o.order(), o.variant() == UniPcVariant.BH1, o.corrector())),
        PluginProvider.of(info("deis", "ρAB-DEIS: Adams-Bashforth in ρ = σ/α on ε̂", "Zhang & Chen 2023, DEIS (ICLR), §4"),
            DeisOptions.class, o -> new RhoAdams("deis", o.order())),
        PluginProvider.of(info("lms", "linear multistep in σ/α (k-diffusion sample_lms)", "Karras et al. 2022 / k-diffusion"),
            LmsOptions.class, o -> new RhoAdams("lms", o.order())),
        PluginProvider.of(info("pndm", "F-PNDM: 3 pseudo-Runge-Kutta steps, then pseudo linear multistep",
                "Liu et al. 2022, PNDM (ICLR), eq. 9-13"),
            NoOptions.class, o -> new Pndm(Pndm.Warmup.RUNGE_KUTTA)),
        PluginProvider.of(info("plms", "S-PNDM / LDM PLMS: improved-Euler first step, then pseudo linear multistep",
                "Liu et al. 2022, PNDM (ICLR)"),
            NoOptions.class, o -> new Pndm(Pndm.Warmup.IMPROVED_EULER)),
        PluginProvider.of(info("ipndm", "iPNDM: lower-order Adams-Bashforth warm-up, 1 evaluation per step",
                "Zhang & Chen 2023, DEIS (ICLR), App."),
            NoOptions.class, o -> new Pndm(Pndm.Warmup.ADAMS)));
  }
}
