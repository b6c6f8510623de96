package org.diffuse4j.api.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {

  enum Variant { BH1, BH2, TRAILING_ZERO }

  record Opts(
      @Option(doc = "number of steps", def = "10", min = 1) int steps,
      @Option(doc = "stochasticity", def = "0", min = 0, max = 1) double eta,
      @Option(doc = "variant", def = "bh1") Variant variant,
      @Option(doc = "explicit times", def = "[]") double[] times,
      @Option(doc = "use the corrector", def = "true") boolean corrector,
      @Option(doc = "a label", def = "x") String label) {}

  record Required(@Option(doc = "the base schedule") Object base) {}

  @Test
  void defaultsApplyAndValuesConvert() {
    Opts o = Options.bind(Opts.class, Map.of("steps", 32, "eta", "0.5", "variant", "trailing-zero", "times", List.of(0.9, 0.5)), "sampling");
    assertThat(o.steps()).isEqualTo(32);
    assertThat(o.eta()).isEqualTo(0.5);
    assertThat(o.variant()).isEqualTo(Variant.TRAILING_ZERO);
    assertThat(o.times()).containsExactly(0.9, 0.5);
    assertThat(o.corrector()).isTrue();
    assertThat(Options.defaults(Opts.class).steps()).isEqualTo(10);
  }

  @Test
  void unknownKeyNamesPathAndClosestMatch() {
    assertThatThrownBy(() -> Options.bind(Opts.class, Map.of("stpes", 3), "sampling"))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("'sampling.stpes'")
        .hasMessageContaining("did you mean 'steps'?")
        .hasMessageContaining("allowed keys: steps, eta, variant, times, corrector, label");
  }

  @Test
  void outOfRangeNamesKeyAndRange() {
    assertThatThrownBy(() -> Options.bind(Opts.class, Map.of("steps", -1), "sampling"))
        .hasMessageContaining("'sampling.steps'")
        .hasMessageContaining("[1, 2147483647]");
    assertThatThrownBy(() -> Options.bind(Opts.class, Map.of("eta", 1.5), ""))
        .hasMessageContaining("'eta'")
        .hasMessageContaining("[0, 1]");
  }

  @Test
  void wrongTypesAreNamed() {
    assertThatThrownBy(() -> Options.bind(Opts.class, Map.of("steps", "many"), "s"))
        .hasMessageContaining("wrong type for 's.steps': expected an integer, got 'many'");
    assertThatThrownBy(() -> Options.bind(Opts.class, Map.of("steps", 2.5), "s"))
        .hasMessageContaining("expected an integer");
    assertThatThrownBy(() -> Options.bind(Opts.class, Map.of("corrector", "yes"), "s"))
        .hasMessageContaining("expected true or false");
    assertThatThrownBy(() -> Options.bind(Opts.class, Map.of("label", Map.of("a", 1)), "s"))
        .hasMessageContaining("expected a string, got a map");
  }

  @Test
  void enumValuesAreListedWithSuggestion() {
    assertThatThrownBy(() -> Options.bind(Opts.class, Map.of("variant", "bh3"), "solver"))
        .hasMessageContaining("'solver.variant'")
        .hasMessageContaining("allowed values: bh1, bh2, trailing-zero");
  }

  @Test
  void requiredOptionsMustBeGiven() {
    assertThatThrownBy(() -> Options.bind(Required.class, Map.of(), "schedule"))
        .hasMessageContaining("missing required key 'schedule.base'");
    assertThat(Options.bind(Required.class, Map.of("base", "vp"), "").base()).isEqualTo("vp");
  }

  @Test
  void describeListsEveryOption() {
    List<Options.Spec> specs = Options.describe(Opts.class);
    assertThat(specs).extracting(Options.Spec::name).containsExactly("steps", "eta", "variant", "times", "corrector", "label");
    assertThat(specs.get(2).type()).isEqualTo("one of bh1|bh2|trailing-zero");
    assertThat(specs.get(1).max()).isEqualTo(1.0);
  }

  @Test
  void closestMatchNeedsToBeClose() {
    assertThat(Options.closest("sover", List.of("solver", "grid", "steps"))).isEqualTo("solver");
    assertThat(Options.closest("zzzzzz", List.of("solver", "grid"))).isNull();
    assertThat(Options.editDistance("kitten", "sitting")).isEqualTo(3);
  }

  @Test
  void registryRejectsDuplicatesNamingBothSources() {
    PluginProvider<NoOptions> a = PluginProvider.of(new PluginInfo(Kind.SOLVER, "euler", "d", "r"), NoOptions.class, o -> "A");
    PluginRegistry r = new PluginRegistry().add(a, "one.jar");
    assertThatThrownBy(() -> r.add(a, "two.jar"))
        .hasMessageContaining("duplicate solver plugin 'euler'")
        .hasMessageContaining("one.jar")
        .hasMessageContaining("two.jar");
    assertThat((String) r.create(Kind.SOLVER, "euler", "sampling.solver")).isEqualTo("A");
    assertThatThrownBy(() -> r.create(Kind.SOLVER, "eulr", "sampling.solver"))
        .hasMessageContaining("unknown solver 'eulr'")
        .hasMessageContaining("did you mean 'euler'?");
    assertThatThrownBy(() -> r.create(Kind.SOLVER, Map.of("name", "euler", "eta", 1), "sampling.solver"))
        .hasMessageContaining("unknown key 'sampling.solver.eta'")
        .hasMessageContaining("takes no options");
  }

  record Numbers(
      @Option(doc = "a seed", def = "0", min = 0) long seed,
      @Option(doc = "a count", def = "1", min = 1) int count,
      @Option(doc = "a rate", def = "1", min = 0) double rate,
      @Option(doc = "an upper bound; Infinity = none", def = "Infinity", min = 0) double hi,
      @Option(doc = "times", def = "[]", min = 0, max = 1) double[] times,
      @Option(doc = "multipliers", def = "[]", min = 1) int[] mult) {}

  private static Numbers numbers(String key, Object value) {
    return Options.bind(Numbers.class, Map.of(key, value), "x");
  }

  @Test
  void integersAreExactAndNeverClamped() {
    // what the YAML parser hands over: 1e19 as a Double, 2^63 as a BigInteger, a quoted literal as a String
    for (Object v : List.of(1e19, new BigInteger("9223372036854775808"), "9223372036854775808", "1e19",
        new BigDecimal("1E+400"), "1e400")) {
      assertThatThrownBy(() -> numbers("seed", v))
          .as("seed %s", v)
          .isInstanceOf(OptionException.class)
          .hasMessageContaining("'x.seed'")
          .hasMessageContaining("out of range: allowed [0, 9223372036854775807]");
    }
    assertThat(numbers("seed", new BigInteger("9223372036854775807")).seed()).isEqualTo(Long.MAX_VALUE);
    assertThat(numbers("seed", "9223372036854775807").seed()).isEqualTo(Long.MAX_VALUE);
    assertThat(numbers("seed", 1e18).seed()).isEqualTo(1_000_000_000_000_000_000L);
    assertThatThrownBy(() -> numbers("count", 2147483648L)).hasMessageContaining("allowed [1, 2147483647]");
    assertThatThrownBy(() -> numbers("count", 3.5)).hasMessageContaining("expected an integer, got '3.5'");
    // a huge exponent is out of range at once (never expanded into its digits)
    assertThatThrownBy(() -> numbers("seed", "1e999999999")).hasMessageContaining("out of range");
    assertThatThrownBy(() -> numbers("seed", "1e-999999999")).hasMessageContaining("expected an integer");
    assertThat(numbers("count", "3.000").count()).isEqualTo(3);
    // 2^53 + 1 is not a double: a Long must not pass through double rounding
    assertThat(numbers("seed", 9007199254740993L).seed()).isEqualTo(9007199254740993L);
  }

  @Test
  void nonFiniteAndOverflowingDoublesAreRejected() {
    for (Object v : List.of(Double.POSITIVE_INFINITY, "Infinity", "inf", ".inf", Double.NaN, "NaN", ".nan")) {
      assertThatThrownBy(() -> numbers("rate", v)).as("rate %s", v)
          .hasMessageContaining("'x.rate'").hasMessageContaining("not a finite number");
    }
    for (Object v : List.of(new BigDecimal("1E+309"), "1e400", "-1e309")) {
      assertThatThrownBy(() -> numbers("rate", v)).as("rate %s", v)
          .hasMessageContaining("'x.rate'").hasMessageContaining("too large for a double");
    }
    assertThatThrownBy(() -> numbers("times", List.of(0.5, "1e400"))).hasMessageContaining("'x.times[1]'");
    assertThatThrownBy(() -> numbers("times", List.of(0.5, Double.NaN))).hasMessageContaining("'x.times[1]'");
    assertThatThrownBy(() -> numbers("mult", List.of(1, new BigInteger("99999999999"))))
        .hasMessageContaining("'x.mult[1]'").hasMessageContaining("[1, 2147483647]");
    // an infinite default ("no bound") may be written out; nothing else infinite
    assertThat(numbers("hi", "Infinity").hi()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(Options.defaults(Numbers.class).hi()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThatThrownBy(() -> numbers("hi", "-Infinity")).hasMessageContaining("not a finite number");
    assertThatThrownBy(() -> numbers("hi", new BigDecimal("1E+309"))).hasMessageContaining("write Infinity");
    assertThat(numbers("rate", "1e-3").rate()).isEqualTo(1e-3);
  }

  @Test
  void closestMatchKnowsSpellingsAndAbbreviations() {
    List<String> solvers = List.of("euler", "euler-ancestral", "euler-maruyama", "heun", "dopri5", "dpmpp-2m",
        "dpmpp-2m-sde", "predictor-corrector", "rk4", "rk45");
    assertThat(Options.closest("euler_a", solvers)).isEqualTo("euler-ancestral");
    assertThat(Options.closest("euler_ancestral", solvers)).isEqualTo("euler-ancestral");
    assertThat(Options.closest("Euler-Maruyama", solvers)).isEqualTo("euler-maruyama");
    assertThat(Options.closest("euler-m", solvers)).isEqualTo("euler-maruyama");
    assertThat(Options.closest("em", solvers)).isEqualTo("euler-maruyama");
    assertThat(Options.closest("dopri", solvers)).isEqualTo("dopri5");
    assertThat(Options.closest("dpmpp_2m_sde", solvers)).isEqualTo("dpmpp-2m-sde");
    assertThat(Options.closest("hune", solvers)).isEqualTo("heun");
    // ambiguous prefixes fall back to edit distance; unrelated words get nothing
    assertThat(Options.closest("eul", solvers)).isEqualTo("euler");
    assertThat(Options.closest("banana", solvers)).isNull();
    assertThat(Options.closest("transformer", solvers)).isNull();
    assertThat(Options.closest("zz", solvers)).isNull();
  }

  record Outer(@Option(doc = "inner plugin", def = "leaf") Object inner) {}

  record Leaf(@Option(doc = "a mean", def = "0") double mean) {}

  @Test
  void nestedPluginsAreNamedByTheirWholeKeyPath() {
    PluginRegistry r = new PluginRegistry();
    r.add(PluginProvider.of(new PluginInfo(Kind.SCHEDULE, "leaf", "d", "r"), Leaf.class, o -> "leaf"), "test");
    r.add(PluginProvider.of(new PluginInfo(Kind.OBJECTIVE, "outer", "d", "r"), Outer.class,
        (o, c) -> c.create(Kind.SCHEDULE, o.inner(), "inner")), "test");
    r.add(PluginProvider.of(new PluginInfo(Kind.GUIDANCE, "list", "d", "r"), Outer.class,
        (o, c) -> c.create(Kind.OBJECTIVE, ((List<?>) o.inner()).get(1), "inner[1]")), "test");
    assertThatThrownBy(() -> r.create(Kind.OBJECTIVE,
        Map.of("name", "outer", "inner", Map.of("name", "leaf", "meen", 1)), "objective"))
        .hasMessageContaining("unknown key 'objective.inner.meen'").hasMessageContaining("did you mean 'mean'");
    // two levels down, through a list
    assertThatThrownBy(() -> r.create(Kind.GUIDANCE, Map.of("name", "list", "inner",
        List.of("x", Map.of("name", "outer", "inner", Map.of("name", "leaf", "mean", "Infinity")))), "guidance"))
        .hasMessageContaining("'guidance.inner[1].inner.mean'").hasMessageContaining("not a finite number");
    assertThat(r.at("objective").path("time")).isEqualTo("objective.time");
    assertThat(r.at("guidance").path("of[0]")).isEqualTo("guidance.of[0]");
    assertThat(r.at("network").path("")).isEqualTo("network");
  }
}
