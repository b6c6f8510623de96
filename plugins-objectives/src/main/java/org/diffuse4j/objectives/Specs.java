package org.diffuse4j.objectives;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.NoOptions;
import org.diffuse4j.api.plugin.Option;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.Options;
import org.diffuse4j.api.plugin.PluginContext;

/**
 * The named time densities and weightings an objective's {@code time} and {@code weighting} options
 * accept: a name, or a map with {@code name} and options, validated like plugin options.
 */
public final class Specs {
  private Specs() {}

  /** One named choice: its options record and how to build it. */
  public record Choice<T>(String doc, Class<? extends Record> options, BiFunction<Record, PluginContext, T> factory) {}

  public record UniformTimeOptions(
      @Option(doc = "smallest time", def = "0", min = 0, max = 1) double t_min,
      @Option(doc = "largest time", def = "1", min = 0, max = 1) double t_max) {}

  public record LogitNormalOptions(
      @Option(doc = "location m of the logit", def = "0") double m,
      @Option(doc = "scale s of the logit", def = "1", min = 0) double s) {}

  public record LogNormalOptions(
      @Option(doc = "mean of ln(σ/α)", def = "-1.2") double p_mean,
      @Option(doc = "standard deviation of ln(σ/α)", def = "1.2", min = 0) double p_std,
      @Option(doc = "schedule mapping σ/α to t; 'run' = the run's schedule", def = "run") Object schedule) {}

  public record ModeOptions(
      @Option(doc = "mode scale s (0 = uniform; SD3 uses 1.29)", def = "1.29", min = -1, max = 1.7519) double scale) {}

  public record StepsOptions(
      @Option(doc = "number of discrete levels N", def = "1000", min = 1) int steps) {}

  public record MinSnrOptions(
      @Option(doc = "SNR clamp γ", def = "5", min = 0) double gamma) {}

  public record EdmOptions(
      @Option(doc = "data standard deviation σ_data", def = "0.5", min = 0) double sigma_data) {}

  /** Time densities by name (read-only). */
  public static final Map<String, Choice<TimeDensity>> TIMES;

  /** Weightings by name (read-only). */
  public static final Map<String, Choice<Weighting>> WEIGHTINGS;

  static {
    Map<String, Choice<TimeDensity>> times = new LinkedHashMap<>();
    Map<String, Choice<Weighting>> weightings = new LinkedHashMap<>();
    times.put("uniform", new Choice<>("t uniform on [t_min, t_max]", UniformTimeOptions.class,
        (o, c) -> new TimeDensity.Uniform(((UniformTimeOptions) o).t_min(), ((UniformTimeOptions) o).t_max())));
    times.put("logit-normal", new Choice<>("t = sigmoid(m + s z) (SD3)", LogitNormalOptions.class,
        (o, c) -> new TimeDensity.LogitNormal(((LogitNormalOptions) o).m(), ((LogitNormalOptions) o).s())));
    times.put("log-normal", new Choice<>("ln(σ/α) ~ N(p_mean, p_std²) mapped to t (EDM)", LogNormalOptions.class,
        (o, c) -> {
          LogNormalOptions l = (LogNormalOptions) o;
          Schedule fixed = "run".equals(l.schedule()) ? null : c.create(Kind.SCHEDULE, l.schedule(), "time.schedule");
          return new TimeDensity.LogNormal(l.p_mean(), l.p_std(), fixed);
        }));
    times.put("mode", new Choice<>("SD3 mode sampling", ModeOptions.class,
        (o, c) -> new TimeDensity.Mode(((ModeOptions) o).scale())));
    times.put("discrete", new Choice<>("t = k/N, k uniform in 1..N (DDPM)", StepsOptions.class,
        (o, c) -> new TimeDensity.Discrete(((StepsOptions) o).steps())));

    weightings.put("uniform", new Choice<>("1 on the parameterisation's target", NoOptions.class,
        (o, c) -> new Weighting.Uniform()));
    weightings.put("snr", new Choice<>("SNR on the x0-loss = ε-MSE in any parameterisation", NoOptions.class, (o, c) -> new Weighting.Snr()));
    weightings.put("min-snr", new Choice<>("min(SNR, γ)/SNR on ε (Hang et al. 2023)", MinSnrOptions.class,
        (o, c) -> new Weighting.MinSnr(((MinSnrOptions) o).gamma())));
    weightings.put("edm", new Choice<>("(σ̃² + σ_d²)/σ_d² on ε (Karras et al. 2022)", EdmOptions.class,
        (o, c) -> new Weighting.Edm(((EdmOptions) o).sigma_data())));
    weightings.put("likelihood", new Choice<>("g²/σ² on ε (Song et al. 2021)", NoOptions.class,
        (o, c) -> new Weighting.Likelihood()));
    weightings.put("elbo", new Choice<>("discrete DDPM ELBO weights (N/2)(SNR(t−1/N)/SNR(t) − 1)", StepsOptions.class,
        (o, c) -> new Weighting.Elbo(((StepsOptions) o).steps())));
    TIMES = Collections.unmodifiableMap(times);
    WEIGHTINGS = Collections.unmodifiableMap(weightings);
  }

  /** Builds the time density named by {@code spec}. */
  public static TimeDensity time(Object spec, PluginContext context) {
    return build(TIMES, spec, "time", "time density", context);
  }

  /** Builds the weighting named by {@code spec}. */
  public static Weighting weighting(Object spec, PluginContext context) {
    return build(WEIGHTINGS, spec, "weighting", "weighting", context);
  }

  private static <T> T build(
      Map<String, Choice<T>> table, Object spec, String relative, String what, PluginContext context) {
    String path = context.path(relative);
    Map.Entry<String, Map<String, Object>> s = Options.splitSpec(spec, path);
    Choice<T> choice = table.get(s.getKey());
    if (choice == null) {
      throw new OptionException(
          "unknown " + what + " '" + s.getKey() + "' at '" + path + "'"
              + Options.suggestion(s.getKey(), table.keySet())
              + "; available: " + String.join(", ", table.keySet()));
    }
    Record options = Options.bind(choice.options(), s.getValue(), path);
    try {
      return choice.factory().apply(options, context);
    } catch (IllegalArgumentException e) {
      throw new OptionException("invalid " + what + " at '" + path + "': " + e.getMessage());
    }
  }
}
