package org.diffuse4j.guidance;

import static org.diffuse4j.api.plugin.Kind.GUIDANCE;
import static org.diffuse4j.api.plugin.Kind.NETWORK;
import static org.diffuse4j.api.plugin.Kind.PARAMETERISATION;

import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.Guidance;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.plugin.NoOptions;
import org.diffuse4j.api.plugin.Option;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.Options;
import org.diffuse4j.api.plugin.PluginContext;
import org.diffuse4j.api.plugin.PluginBundle;
import org.diffuse4j.api.plugin.PluginInfo;
import org.diffuse4j.api.plugin.PluginProvider;
import org.diffuse4j.guidance.ScaleSchedule.Shape;
import org.diffuse4j.guidance.ScaleSchedule.Variable;

/** Guidance methods shipped with Diffuse4J; docs/guidance.md gives the formulas and conventions. */
public final class GuidanceBundle implements PluginBundle {

  static void checkInterval(double lo, double hi) {
    if (lo > hi) {
      throw new OptionException(
          "guidance interval is empty: t_lo = " + lo + " > t_hi = " + hi + "; it needs t_lo <= t_hi");
    }
  }

  /** Options of {@code cfg}. */
  public record CfgOptions(
      @Option(doc = "guidance scale w: 1 = conditional model, 0 = unconditional (Ho & Salimans' w is w - 1)",
          def = "2", min = 0) double scale,
      @Option(doc = "shape k(t) of the scale over time, w(t) = 1 + (w - 1) k(t)", def = "constant") Shape schedule,
      @Option(doc = "guide only where the interval variable is >= t_lo", def = "0", min = 0) double t_lo,
      @Option(doc = "guide only where the interval variable is <= t_hi", def = "Infinity", min = 0) double t_hi,
      @Option(doc = "what t_lo and t_hi measure: t, or noise-ratio sigma/alpha (EDM sigma)", def = "t")
          Variable interval_on,
      @Option(doc = "CFG-rescale phi (Lin et al. 2024): 0 = off, 1 = full std matching", def = "0", min = 0, max = 1)
          double rescale,
      @Option(doc = "target the rescale acts on", def = "v") ClassifierFree.Target rescale_target) {

    public CfgOptions {
      checkInterval(t_lo, t_hi);
    }

    ScaleSchedule scaleSchedule() {
      return new ScaleSchedule(scale, schedule, t_lo, t_hi, interval_on);
    }
  }


  /** Options of {@code distilled}. */
  public record DistilledOptions(
      @Option(doc = "guidance scale w fed to the network, as cfg's: 1 = conditional model, 0 = unconditional",
          def = "2", min = 0) double scale) {}

  /** Options of {@code cfg-plus-plus}. */
  public record CfgPlusPlusOptions(
      @Option(doc = "lambda in [0, 1]: x0 = x0_u + lambda (x0_c - x0_u), renoised with eps_u", def = "0.6", min = 0, max = 1)
          double scale,
      @Option(doc = "shape k(t) of the scale over time", def = "constant") Shape schedule,
      @Option(doc = "guide only where the interval variable is >= t_lo", def = "0", min = 0) double t_lo,
      @Option(doc = "guide only where the interval variable is <= t_hi", def = "Infinity", min = 0) double t_hi,
      @Option(doc = "what t_lo and t_hi measure: t, or noise-ratio sigma/alpha", def = "t") Variable interval_on) {

    public CfgPlusPlusOptions {
      checkInterval(t_lo, t_hi);
    }
  }

  /** Options of {@code rectified-cfg}. */
  public record RectifiedCfgOptions(
      @Option(doc = "lambda: weight of the correction v_c - v_u at the look-ahead point; 0 = conditional model",
          def = "2", min = 0) double scale,
      @Option(doc = "gamma: the correction weight is lambda t^gamma, vanishing at the data end", def = "1", min = 0)
          double gamma,
      @Option(doc = "look-ahead delta in t of the conditional predictor (about half the solver's step)",
          def = "0.025", min = 1e-6, max = 0.5) double half_step) {}

  /** Options of {@code apg}. */
  public record ApgOptions(
      @Option(doc = "guidance scale w: 1 = conditional model", def = "4", min = 0) double scale,
      @Option(doc = "eta: weight of the component of the update parallel to x0_c (0 drops it)", def = "0") double eta,
      @Option(doc = "r: caps the per-sample norm of x0_c - x0_u; 0 = no cap", def = "0", min = 0) double norm_threshold,
      @Option(doc = "beta in (-1, 1): running average of the update across solver steps,"
          + " delta_k = (x0_c - x0_u) + beta delta_{k-1}; 0 = off, Sadat et al. use e.g. -0.5",
          def = "0") double momentum,
      @Option(doc = "shape k(t) of the scale over time", def = "constant") Shape schedule,
      @Option(doc = "guide only where the interval variable is >= t_lo", def = "0", min = 0) double t_lo,
      @Option(doc = "guide only where the interval variable is <= t_hi", def = "Infinity", min = 0) double t_hi,
      @Option(doc = "what t_lo and t_hi measure: t, or noise-ratio sigma/alpha", def = "t") Variable interval_on) {

    public ApgOptions {
      checkInterval(t_lo, t_hi);
      if (!(Math.abs(momentum) < 1)) {
        throw new OptionException(AdaptiveProjected.momentumRange(momentum));
      }
    }
  }

  /** Options of {@code autoguidance}. */
  public record AutoGuidanceOptions(
      @Option(doc = "guidance scale w: 1 = the main model", def = "2", min = 0) double scale,
      @Option(doc = "the weaker guiding model: a network spec the runtime can build (e.g. an earlier checkpoint)")
          Object weak_model,
      @Option(doc = "parameterisation of the weak model's output (e.g. eps, velocity)") Object weak_parameterisation,
      @Option(doc = "shape k(t) of the scale over time", def = "constant") Shape schedule,
      @Option(doc = "guide only where the interval variable is >= t_lo", def = "0", min = 0) double t_lo,
      @Option(doc = "guide only where the interval variable is <= t_hi", def = "Infinity", min = 0) double t_hi,
      @Option(doc = "what t_lo and t_hi measure: t, or noise-ratio sigma/alpha", def = "t") Variable interval_on) {

    public AutoGuidanceOptions {
      checkInterval(t_lo, t_hi);
    }
  }

  /** The base model of classifier guidance. */
  public enum Base {
    UNCONDITIONAL,
    CONDITIONAL
  }

  /** Options of {@code classifier}. */
  public record ClassifierOptions(
      @Option(doc = "guidance scale w on grad log p(y|x_t); 1 with the unconditional base = Bayes' rule", def = "1", min = 0)
          double scale,
      @Option(doc = "the noise-aware classifier: a network spec giving logits [B, K] (noisy-classifier objective)")
          Object classifier,
      @Option(doc = "base model: unconditional (Dhariwal & Nichol) or conditional", def = "unconditional") Base base,
      @Option(doc = "shape k(t) of the scale over time", def = "constant") Shape schedule,
      @Option(doc = "guide only where the interval variable is >= t_lo", def = "0", min = 0) double t_lo,
      @Option(doc = "guide only where the interval variable is <= t_hi", def = "Infinity", min = 0) double t_hi,
      @Option(doc = "what t_lo and t_hi measure: t, or noise-ratio sigma/alpha", def = "t") Variable interval_on) {

    public ClassifierOptions {
      checkInterval(t_lo, t_hi);
    }
  }

  /** Options of {@code dynamic-thresholding}. */
  public record DynamicThresholdingOptions(
      @Option(doc = "p: per-sample quantile of |x0| used as the threshold s", def = "0.995", min = 0, max = 1)
          double percentile,
      @Option(doc = "upper cap on s (s is at least 1)", def = "Infinity", min = 1) double max_threshold) {}

  /** Options of {@code stack}. */
  public record StackOptions(
      @Option(doc = "list of guidance specs: the first combines predictions, the rest are filters"
          + " (dynamic-thresholding) applied in order") Object of) {}

  static ScaleSchedule schedule(double w, Shape shape, double lo, double hi, Variable v) {
    return new ScaleSchedule(w, shape, lo, hi, v);
  }

  static ConditionalDenoiser weakModel(AutoGuidanceOptions o, PluginContext c) {
    Object built = c.create(NETWORK, o.weak_model(), "weak_model");
    if (built instanceof ConditionalDenoiser d) {
      return d;
    }
    if (built instanceof Network n) {
      Parameterisation p = c.create(PARAMETERISATION, o.weak_parameterisation(), "weak_parameterisation");
      return ConditionalDenoiser.of(n, p);
    }
    throw new OptionException("'" + c.path("weak_model") + "' built a " + built.getClass().getName() + ", not a network");
  }

  static Classifier classifier(ClassifierOptions o, PluginContext c) {
    Object built = c.create(NETWORK, o.classifier(), "classifier");
    if (built instanceof Classifier k) {
      return k;
    }
    if (built instanceof Network n) {
      return Classifier.of(n);
    }
    throw new OptionException("'" + c.path("classifier") + "' built a " + built.getClass().getName() + ", not a network");
  }

  static Stack stack(StackOptions o, PluginContext c) {
    if (!(o.of() instanceof List<?> specs) || specs.isEmpty()) {
      throw new OptionException(
          "'" + c.path("of") + "' must be a non-empty list of guidance specs, e.g. [cfg, dynamic-thresholding]; got " + o.of());
    }
    Guidance base = c.create(GUIDANCE, specs.get(0), "of[0]");
    List<PredictionFilter> filters = new ArrayList<>();
    for (int i = 1; i < specs.size(); i++) {
      Object g = c.create(GUIDANCE, specs.get(i), "of[" + i + "]");
      if (!(g instanceof PredictionFilter f)) {
        throw new OptionException(
            "'" + c.path("of[" + i + "]") + "' (" + Options.splitSpec(specs.get(i), c.path("of[" + i + "]")).getKey()
                + ") calls the model, so it can only be the first entry of a stack; later entries must be"
                + " filters such as dynamic-thresholding");
      }
      filters.add(f);
    }
    return new Stack(base, filters);
  }

  @Override
  public List<PluginProvider<?>> providers() {
    return List.of(
        PluginProvider.of(
            new PluginInfo(GUIDANCE, "none", "the conditional model as it is (1 evaluation)", "-"),
            NoOptions.class, o -> new NoGuidance()),
        PluginProvider.of(
            new PluginInfo(GUIDANCE, "cfg",
                "classifier-free guidance eps_u + w (eps_c - eps_u), with interval, schedule and rescale (2 evaluations)",
                "Ho & Salimans 2022; Kynkaanniemi et al. 2024 (interval); Lin et al. 2024 (rescale)"),
            CfgOptions.class,
            o -> new ClassifierFree(o.scaleSchedule(), o.rescale(), o.rescale_target())),
        PluginProvider.of(
            new PluginInfo(GUIDANCE, "distilled",
                "a guidance-distilled network reads the scale w itself: cfg's guided prediction in 1 evaluation",
                "Meng et al. 2023, On distillation of guided diffusion models, section 4.1"),
            DistilledOptions.class, o -> new Distilled(o.scale())),
        PluginProvider.of(
            new PluginInfo(GUIDANCE, "cfg-plus-plus",
                "CFG++: guided x0 = x0_u + lambda (x0_c - x0_u), renoised with eps_u (2 evaluations)",
                "Chung et al. 2024, CFG++: manifold-constrained classifier-free guidance"),
            CfgPlusPlusOptions.class,
            o -> new CfgPlusPlus(schedule(o.scale(), o.schedule(), o.t_lo(), o.t_hi(), o.interval_on()))),
        PluginProvider.of(
            new PluginInfo(GUIDANCE, "rectified-cfg",
                "Rectified-CFG++: conditional predictor half-step, then v_c + lambda t^gamma (v_c - v_u) at the"
                    + " look-ahead (3 evaluations)",
                "Saini, Gupta & Bovik 2025, Rectified-CFG++ for flow based models (arXiv 2510.07631)"),
            RectifiedCfgOptions.class, o -> new RectifiedCfg(o.scale(), o.gamma(), o.half_step())),
        PluginProvider.of(
            new PluginInfo(GUIDANCE, "apg",
                "adaptive projected guidance: norm-capped update split parallel/orthogonal to x0_c, optional momentum"
                    + " across steps (2 evaluations)",
                "Sadat et al. 2024, Eliminating oversaturation and artifacts of high guidance scales"),
            ApgOptions.class,
            o -> new AdaptiveProjected(schedule(o.scale(), o.schedule(), o.t_lo(), o.t_hi(), o.interval_on()),
                o.eta(), o.norm_threshold(), o.momentum())),
        PluginProvider.of(
            new PluginInfo(GUIDANCE, "autoguidance",
                "guide with a weaker model: D_weak + w (D_main - D_weak) (2 evaluations)",
                "Karras et al. 2024, Guiding a diffusion model with a bad version of itself"),
            AutoGuidanceOptions.class,
            (o, c) -> new AutoGuidance(weakModel(o, c),
                schedule(o.scale(), o.schedule(), o.t_lo(), o.t_hi(), o.interval_on()))),
        PluginProvider.of(
            new PluginInfo(GUIDANCE, "classifier",
                "classifier guidance: score + w grad log p(y | x_t, t) through the graph (2 evaluations)",
                "Dhariwal & Nichol 2021; seed 003 eq. 56"),
            ClassifierOptions.class,
            (o, c) -> new ClassifierGuidance(classifier(o, c),
                schedule(o.scale(), o.schedule(), o.t_lo(), o.t_hi(), o.interval_on()), o.base() == Base.CONDITIONAL)),
        PluginProvider.of(
            new PluginInfo(GUIDANCE, "dynamic-thresholding",
                "Imagen percentile clipping of x0 (a filter: alone on the conditional model, or in a stack)",
                "Saharia et al. 2022, Imagen, section 2.3"),
            DynamicThresholdingOptions.class,
            o -> new DynamicThresholding(o.percentile(), o.max_threshold())),
        PluginProvider.of(
            new PluginInfo(GUIDANCE, "stack",
                "composition: a guidance followed by filters, e.g. of: [cfg, dynamic-thresholding]", "-"),
            StackOptions.class, GuidanceBundle::stack));
  }
}
